using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Leap.Security;
using Microsoft.Extensions.Configuration;
using Serilog;

namespace Leap.Cli.Hosting;

/// <summary>
/// The common shape of our gRPC hosts: Kestrel HTTP/2 on one port (TLS when <c>Tls:CertificateFile</c> is set), Serilog,
/// configuration from LEAP_-prefixed environment variables, the token variables (<see cref="AuthEnvironment"/>) and
/// <c>--set Section:Key=Value</c> overrides. The host must add the shared-token check (AddCoordinator and
/// AddCentreService do). A token given with <c>--set</c> is refused: it would show in the process list.
/// Prometheus metrics over HTTP/1.1 on <c>Metrics:Port</c> when it is set (<see cref="MetricsOptions"/>; map them with
/// <see cref="MapMetrics"/>).
/// </summary>
public static class GrpcHostBuilder
{
    public static WebApplicationBuilder Create(string name, string listenAddress, int port, IEnumerable<string> overrides, string? logFile)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddEnvironmentVariables("LEAP_");
        builder.Configuration.AddAuthEnvironment();
        builder.Configuration.AddInMemoryCollection(Overrides(overrides));
        var metrics = MetricsOptions.Read(builder.Configuration, port);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var address = listenAddress is "*" or "0.0.0.0" ? IPAddress.Any : IPAddress.Parse(listenAddress);
            kestrel.Listen(address, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.UseConfiguredTls();
            });
            MetricsEndpoint.Listen(kestrel, address, metrics.Port);
        });
        var logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
            .Enrich.WithProperty("Process", name)
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}");
        if (logFile is not null)
        {
            logger = logger.WriteTo.File(logFile, outputTemplate: "{Timestamp:O} [{Level:u3}] {SourceContext} {Message:lj}{NewLine}{Exception}");
        }
        builder.Services.AddSerilog(logger.CreateLogger(), dispose: true);
        Leap.Launch.LaunchedService.UseSigtermLifetimeIfLaunched(builder.Services);
        return builder;
    }

    /// <summary>Maps Prometheus <c>/metrics</c> on <c>Metrics:Port</c> (already validated by <see cref="Create"/>), if set.</summary>
    public static void MapMetrics(WebApplication app, int grpcPort)
    {
        ArgumentNullException.ThrowIfNull(app);
        MetricsEndpoint.Map(app, MetricsOptions.Read(app.Configuration, grpcPort).Port);
    }

    private static Dictionary<string, string?> Overrides(IEnumerable<string> items)
    {
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (string item in items)
        {
            int eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new ArgumentException($"--set expects Section:Key=Value, got '{item}'.");
            }
            string key = item[..eq].Trim().Replace('.', ':');
            if (key.Equals($"{AuthOptions.SectionName}:{nameof(AuthOptions.Token)}", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"--set {key}: a token on the command line is visible to every user of the machine; " +
                    $"use {AuthEnvironment.Token} or {AuthEnvironment.TokenFile}.");
            }
            result[key] = item[(eq + 1)..].Trim();
        }
        return result;
    }
}
