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
            if (!string.IsNullOrEmpty(options.TokenFile) && !OperatingSystem.IsWindows()
                && (File.GetUnixFileMode(options.TokenFile) & OtherAccess) != 0)
            {
                LogTokenFileOpen(options.TokenFile, Convert.ToString((int)File.GetUnixFileMode(options.TokenFile), 8));
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>Any access by other users (not owner or group: Kubernetes mounts the secret 0440 for the pod's fsGroup).</summary>
    private const UnixFileMode OtherAccess = UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 910, Level = LogLevel.Information,
        Message = "Callers must present the shared token (from {Source}); gRPC health stays open; {Transport}")]
    private partial void LogEnabled(string source, string transport);

    [LoggerMessage(EventId = 912, Level = LogLevel.Warning,
        Message = "The token file {Path} is readable by other users (mode 0{Mode}): anyone on this machine can call the job; chmod 600 it")]
    private partial void LogTokenFileOpen(string path, string mode);

    [LoggerMessage(EventId = 911, Level = LogLevel.Warning,
        Message = "Authentication is disabled (Auth:Disabled=true): every caller is served; {Transport}")]
    private partial void LogDisabled(string transport);
}
