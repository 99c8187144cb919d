using Prometheus;

namespace Leap.Training.Metrics;

/// <summary>
/// Bytes and seconds spent in collectives, by operation (all_reduce, all_gather, reduce_scatter, broadcast), so a
/// dashboard derives bandwidth as rate(bytes) / rate(seconds). Recorded by <see cref="MeteredCollectives"/>.
/// </summary>
public sealed class CollectiveMetrics
{
    public const string AllReduce = "all_reduce";
    public const string AllGather = "all_gather";
    public const string ReduceScatter = "reduce_scatter";
    public const string Broadcast = "broadcast";

    public CollectiveMetrics(CollectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        Bytes = factory.CreateCounter("leap_collective_bytes_total", "Bytes this rank contributed to collectives (input tensor size).", ["operation"]);
        Seconds = factory.CreateCounter("leap_collective_seconds_total", "Wall-clock seconds this rank spent in collectives.", ["operation"]);
        Calls = factory.CreateCounter("leap_collective_calls_total", "Collective calls made by this rank.", ["operation"]);
    }

    public Counter Bytes { get; }
    public Counter Seconds { get; }
    public Counter Calls { get; }

    public void Record(string operation, long bytes, TimeSpan elapsed)
    {
        Bytes.WithLabels(operation).Inc(bytes);
        Seconds.WithLabels(operation).Inc(elapsed.TotalSeconds);
        Calls.WithLabels(operation).Inc();
    }
}
