using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace Leap.Cli.Hosting;

/// <summary>
/// Prometheus <c>/metrics</c> of a gRPC host on its own HTTP/1.1 port (<see cref="MetricsOptions.Port"/>): the listener is
/// added next to the gRPC one and the route answers only on that port. Serves the host's registered
/// <see cref="CollectorRegistry"/> (the process-wide default, with .NET runtime series, unless another was registered).
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    /// <summary>Adds the HTTP/1.1 listener when <paramref name="port"/> is not 0.</summary>
    public static void Listen(KestrelServerOptions kestrel, IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        if (port != 0)
        {
            kestrel.Listen(address, port, listen => listen.Protocols = HttpProtocols.Http1);
        }
    }

    /// <summary>Maps <see cref="Path"/> on <paramref name="port"/> when it is not 0.</summary>
    public static void Map(WebApplication app, int port)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (port != 0)
        {
            app.MapMetrics(Path, app.Services.GetService<CollectorRegistry>() ?? Metrics.DefaultRegistry).RequireHost($"*:{port}");
        }
    }
}
