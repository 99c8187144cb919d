using System.Net;
using Leap.CentreService.Client;
using Leap.Collectives;
using Leap.Training.Metrics;
using Prometheus;

namespace Leap.Worker;

/// <summary>
/// A worker's Prometheus series (trainer, collectives, centre-service client) on one registry and, when a port is
/// given, prometheus-net's stand-alone Kestrel server answering <c>http://host:port/metrics</c> (a worker is not an
/// ASP.NET Core host). Disposing stops the server.
/// </summary>
public sealed class WorkerMetrics : IDisposable
{
    private readonly IMetricServer? _server;

    private WorkerMetrics(CollectorRegistry registry, IMetricServer? server)
    {
        Registry = registry;
        Trainer = new TrainerMetrics(registry);
        Collectives = new CollectiveMetrics(registry);
        CentreClient = new CentreClientMetrics(registry);
        _server = server;
    }

    public CollectorRegistry Registry { get; }
    public TrainerMetrics Trainer { get; }
    public CollectiveMetrics Collectives { get; }
    public CentreClientMetrics CentreClient { get; }

    /// <summary>
    /// Defines the series on <paramref name="registry"/> (default: the process-wide one, with .NET runtime series) and
    /// serves them on <paramref name="port"/> unless it is 0. <paramref name="host"/>: an IP literal binds that address
    /// (a pod IP, 127.0.0.1), anything else all interfaces.
    /// </summary>
    public static WorkerMetrics Start(int port, string host, CollectorRegistry? registry = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        registry ??= Metrics.DefaultRegistry;
        IMetricServer? server = null;
        if (port != 0)
        {
            string bind = IPAddress.TryParse(host, out var ip) ? (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ip}]" : ip.ToString()) : "+";
            server = new KestrelMetricServer(bind, port, "/metrics", registry).Start();
        }
        return new WorkerMetrics(registry, server);
    }

    /// <summary><paramref name="inner"/> with every data-moving call counted in <see cref="Collectives"/>.</summary>
    public ICollectives Meter(ICollectives inner) => new MeteredCollectives(inner, Collectives);

    public void Dispose() => _server?.Dispose();
}
