using Prometheus;

namespace Leap.Worker;

/// <summary>
/// A worker's view of the centre service: round-trip time (retries included) of its pushes and statistics pulls,
/// <c>leap_centre_client_seconds{operation="push"|"pull"}</c>.
/// </summary>
public sealed class CentreClientMetrics
{
    public CentreClientMetrics(CollectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var seconds = Metrics.WithCustomRegistry(registry).CreateHistogram("leap_centre_client_seconds",
            "Round trip of a worker's centre-service call, retries included.", ["operation"],
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 18) });
        Push = seconds.WithLabels("push");
        Pull = seconds.WithLabels("pull");
    }

    public IHistogram Push { get; }
    public IHistogram Pull { get; }

    /// <summary>Times a push until disposed.</summary>
    public IDisposable TimePush() => Push.NewTimer();

    /// <summary>Times a pull until disposed.</summary>
    public IDisposable TimePull() => Pull.NewTimer();
}
