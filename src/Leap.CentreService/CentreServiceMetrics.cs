using Prometheus;

namespace Leap.CentreService;

/// <summary>
/// The centre service's Prometheus series: pushes (applied or duplicate), their latency and rows, and statistics
/// reads. Recorded by <see cref="CentreGrpcService"/> on the <see cref="CollectorRegistry"/> the host registered.
/// </summary>
public sealed class CentreServiceMetrics
{
    public CentreServiceMetrics(CollectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var factory = Metrics.WithCustomRegistry(registry);
        Pushes = factory.CreateCounter("leap_centre_pushes_total", "Push calls answered, by result (applied or duplicate).", ["result"]);
        PushSeconds = factory.CreateHistogram("leap_centre_push_seconds", "Server-side time to apply (or recognise) one push.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16) });
        PushRows = factory.CreateCounter("leap_centre_push_rows_total", "Feature rows applied by pushes.");
        StatisticsReads = factory.CreateCounter("leap_centre_statistics_reads_total", "GetCloudStatistics calls answered.");
    }

    public Counter Pushes { get; }
    public Histogram PushSeconds { get; }
    public Counter PushRows { get; }
    public Counter StatisticsReads { get; }
}
