using System.Net;
using Leap.CentreService;
using Leap.Runs.Configuration;
using Leap.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Leap.Cli.Hosting;

/// <summary>
/// The centre service as the <c>leap</c> CLI hosts it (<c>leap centre-service</c> and the in-process service of
/// <c>leap bench centre</c>): a <see cref="GrpcHostBuilder"/> host with <c>AddCentreService</c> / <c>MapCentreService</c>.
/// </summary>
public static class CentreServiceHost
{
    /// <summary>Printed on stdout, followed by the bound address, once the service accepts calls (so port 0 is usable).</summary>
    public const string ListeningMarker = "LEAP_CENTRE_LISTENING ";

    /// <summary>
    /// Builds the host; <paramref name="listenAddress"/> is an IP address or <c>*</c>, <paramref name="port"/> 0 picks a free
    /// port. Throws <see cref="ConfigurationException"/> listing every problem (bad options, unknown <c>CentreService:*</c>
    /// keys, unconvertible or invalid values), each naming its option or key.
    /// </summary>
    /// <param name="token">A token for this host only (the in-process service of <c>leap bench centre</c>); null = from the environment.</param>
    public static WebApplication Build(string listenAddress, int port, IEnumerable<string> overrides, string? token = null)
    {
        if (!IsListenAddress(listenAddress))
        {
            throw new ConfigurationException($"--listen expects an IP address or *, got '{listenAddress}'.");
        }
        if (port is < 0 or > IPEndPoint.MaxPort)
        {
            throw new ConfigurationException($"--port must be between 0 and {IPEndPoint.MaxPort} (was {port}).");
        }
        WebApplicationBuilder builder;
        try
        {
            builder = GrpcHostBuilder.Create("centre-service", listenAddress, port, overrides, logFile: null);
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationException(e.Message);
        }
        if (token is not null)
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"{AuthOptions.SectionName}:{nameof(AuthOptions.Token)}"] = token,
                [$"{AuthOptions.SectionName}:{nameof(AuthOptions.TokenFile)}"] = null,
            });
        }
        builder.Services.AddCentreService(builder.Configuration);
        var app = builder.Build();
        var problems = ConfigurationProblems(app); // before MapCentreService, which already reads the options
        if (problems.Count > 0)
        {
            ((IDisposable)app).Dispose();
            throw new ConfigurationException(string.Join(Environment.NewLine, problems));
        }
        app.MapCentreService();
        GrpcHostBuilder.MapMetrics(app, port);
        return app;
    }

    /// <summary>The gRPC addresses Kestrel bound (with the real port when 0 was asked for; not the metrics one); valid after start.</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        int metricsPort = MetricsOptions.Read(app.Configuration, grpcPort: -1).Port;
        return app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            .Where(a => metricsPort == 0 || new Uri(a).Port != metricsPort).ToArray() ?? [];
    }

    /// <summary>
    /// Unknown <c>CentreService:*</c>, <c>Auth:*</c> or <c>Tls:*</c> keys and enum values that are not a name (with the
    /// allowed names), else the binder's conversion error or the
    /// validators' failures.
    /// </summary>
    private static List<string> ConfigurationProblems(WebApplication app)
    {
        var sections = new[] { (CentreServiceOptions.SectionName, typeof(CentreServiceOptions)), (AuthOptions.SectionName, typeof(AuthOptions)),
                (TlsOptions.SectionName, typeof(TlsOptions)) };
        var problems = sections
            .SelectMany(s => ConfigurationKeyCheck.UnknownKeys(app.Configuration.GetSection(s.Item1), s.Item2))
            .Select(k => $"Unknown configuration key '{k}'.")
            .Concat(sections.SelectMany(s => ConfigurationEnumCheck.InvalidValues(app.Configuration.GetSection(s.Item1), s.Item2)))
            .ToList();
        if (problems.Count > 0)
        {
            return problems;
        }
        try
        {
            _ = app.Services.GetRequiredService<IOptions<CentreServiceOptions>>().Value;
            _ = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
            _ = app.Services.GetRequiredService<IOptions<TlsOptions>>().Value;
            return [];
        }
        catch (OptionsValidationException e)
        {
            return e.Failures.ToList();
        }
        catch (InvalidOperationException e)
        {
            return [e.Message]; // "Failed to convert configuration value at 'CentreService:Key' to type ..."
        }
    }

    private static bool IsListenAddress(string address) => address is "*" || IPAddress.TryParse(address, out _);
}
