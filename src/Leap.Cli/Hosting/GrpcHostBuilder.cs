using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Serilog;

namespace Leap.Cli.Hosting;

/// <summary>
/// The common shape of our gRPC hosts: Kestrel HTTP/2 cleartext on one port, Serilog, configuration from
/// LEAP_-prefixed environment variables and <c>--set Section:Key=Value</c> overrides.
/// </summary>
public static class GrpcHostBuilder
{
    public static WebApplicationBuilder Create(string name, string listenAddress, int port, IEnumerable<string> overrides, string? logFile)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddEnvironmentVariables("LEAP_");
        builder.Configuration.AddInMemoryCollection(Overrides(overrides));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var address = listenAddress is "*" or "0.0.0.0" ? IPAddress.Any : IPAddress.Parse(listenAddress);
            kestrel.Listen(address, port, listen => listen.Protocols = HttpProtocols.Http2);
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
        return builder;
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
            result[item[..eq].Trim().Replace('.', ':')] = item[(eq + 1)..].Trim();
        }
        return result;
    }
}
