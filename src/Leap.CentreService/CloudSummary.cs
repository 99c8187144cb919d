using Leap.Core.Statistics;

namespace Leap.CentreService;

/// <summary>Head/tail counts, sigma_i^2 summaries and the sigma_i^2 histogram of one set of cloud statistics.</summary>
internal static class CloudSummary
{
    public static CentreSummary Build(
        CentreLayout layout, CloudStatistics statistics, int cloudClasses, int bins, double? min, double? max,
        long pushes, long lastStep, long version)
    {
        var head = new List<double>();
        var tail = new List<double>();
        int headClasses = 0;
        for (int c = 0; c < statistics.ClassCount; c++)
        {
            bool isHead = statistics.IsHead(c);
            headClasses += isHead ? 1 : 0;
            double v = statistics.ClassVariance(c);
            if (!double.IsNaN(v))
            {
                (isHead ? head : tail).Add(v);
            }
        }
        var seen = head.Concat(tail).ToArray();
        double lo = min ?? (seen.Length > 0 ? seen.Min() : 0);
        double hi = max ?? (seen.Length > 0 ? seen.Max() : 0);
        var (edges, counts) = Histogram(seen, bins, lo, Math.Max(lo, hi));
        return new CentreSummary(layout, headClasses, statistics.ClassCount - headClasses, cloudClasses, statistics.OverallVariance,
            Summarise(head), Summarise(tail), edges, counts, pushes, lastStep, version);
    }

    /// <summary><paramref name="bins"/> equal bins over [lo, hi]; the last bin includes hi; values outside are not counted.</summary>
    public static (double[] Edges, long[] Counts) Histogram(IReadOnlyList<double> values, int bins, double lo, double hi)
    {
        var edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++)
        {
            edges[i] = i == bins ? hi : lo + ((hi - lo) * i / bins);
        }
        var counts = new long[bins];
        double width = (hi - lo) / bins;
        foreach (double v in values)
        {
            if (v < lo || v > hi)
            {
                continue;
            }
            int bin = width > 0 ? (int)Math.Min(bins - 1, Math.Floor((v - lo) / width)) : bins - 1;
            counts[bin]++;
        }
        return (edges, counts);
    }

    private static VarianceSummary Summarise(List<double> values) => values.Count == 0
        ? new VarianceSummary(0, double.NaN, double.NaN, double.NaN)
        : new VarianceSummary(values.Count, values.Average(), values.Min(), values.Max());
}
