using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Leap.Security;

/// <summary>Logs at start-up how the host authenticates callers and whether it serves TLS (where the token comes from, never the token).</summary>
internal sealed partial class SecurityStartupReport(IOptions<AuthOptions> auth, IOptions<TlsOptions> tls, ILogger<SecurityStartupReport> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var options = auth.Value;
        string transport = tls.Value.ServesTls ? "TLS" : "cleartext HTTP/2";
        if (options.Disabled)
        {
            LogDisabled(transport);
        }
        else
        {
            LogEnabled(string.IsNullOrEmpty(options.TokenFile) ? AuthEnvironment.Token : options.TokenFile, transport);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 910, Level = LogLevel.Information,
        Message = "Callers must present the shared token (from {Source}); gRPC health stays open; {Transport}")]
    private partial void LogEnabled(string source, string transport);

    [LoggerMessage(EventId = 911, Level = LogLevel.Warning,
        Message = "Authentication is disabled (Auth:Disabled=true): every caller is served; {Transport}")]
    private partial void LogDisabled(string transport);
}
