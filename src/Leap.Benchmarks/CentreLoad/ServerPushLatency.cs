using System.Globalization;

namespace Leap.Benchmarks.CentreLoad;

/// <summary>
/// The service's own view of a push, read from its Prometheus histogram <c>leap_centre_push_seconds</c> (time from the
/// call's arrival in the handler to its reply: validation, locks, apply, log append and fsync): count and quantiles,
/// interpolated linearly inside the bucket that holds them as Prometheus's histogram_quantile does. Set beside the
/// clients' round trip, it says how much of a push's latency is the store and how much transport, scheduling and GC.
/// </summary>
public sealed record ServerPushLatency(long Count, double P50Milliseconds, double P99Milliseconds)
{
    public const string Series = "leap_centre_push_seconds";

    /// <summary>The latency in a Prometheus text exposition, or null when it has no push observed.</summary>
    public static ServerPushLatency? FromPrometheusText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var buckets = new List<(double UpperBound, long Cumulative)>();
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (!line.StartsWith(Series + "_bucket{", StringComparison.Ordinal))
            {
                continue;
            }
            int le = line.IndexOf("le=\"", StringComparison.Ordinal);
            int close = le < 0 ? -1 : line.IndexOf('"', le + 4);
            int space = line.LastIndexOf(' ');
            if (close < 0 || space < close)
            {
                throw new FormatException($"Unreadable histogram line: {line}");
            }
            string bound = line[(le + 4)..close];
            double upper = bound == "+Inf" ? double.PositiveInfinity : double.Parse(bound, CultureInfo.InvariantCulture);
            buckets.Add((upper, (long)double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture)));
        }
        buckets.Sort((a, b) => a.UpperBound.CompareTo(b.UpperBound));
        long count = buckets.Count == 0 ? 0 : buckets[^1].Cumulative;
        return count == 0 ? null : new ServerPushLatency(count, Quantile(buckets, 0.50) * 1000, Quantile(buckets, 0.99) * 1000);
    }

    /// <summary>The latency in an in-process service's registry, or null when it has no push observed.</summary>
    public static async Task<ServerPushLatency?> FromRegistryAsync(Prometheus.CollectorRegistry registry, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(registry);
        using var exposition = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(exposition, cancellation).ConfigureAwait(false);
        return FromPrometheusText(System.Text.Encoding.UTF8.GetString(exposition.ToArray()));
    }

    /// <summary>The q-quantile in seconds; in the +Inf bucket, the largest finite bound (a lower bound of the truth).</summary>
    private static double Quantile(List<(double UpperBound, long Cumulative)> buckets, double q)
    {
        double rank = q * buckets[^1].Cumulative;
        double lower = 0;
        long below = 0;
        foreach (var (upper, cumulative) in buckets)
        {
            if (cumulative >= rank && cumulative > below)
            {
                return double.IsPositiveInfinity(upper) ? lower : lower + ((upper - lower) * (rank - below) / (cumulative - below));
            }
            lower = double.IsPositiveInfinity(upper) ? lower : upper;
            below = cumulative;
        }
        return lower;
    }
}
