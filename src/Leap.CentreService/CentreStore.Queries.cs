using Leap.Core.Statistics;

namespace Leap.CentreService;

public sealed partial class CentreStore
{
    private Readings? _cached;

    public CloudStatisticsView GetCloudStatistics(IReadOnlyList<int> classIds)
    {
        var r = Read();
        int[] ids = Select(classIds, r);
        return new CloudStatisticsView(
            ids,
            ids.Select(r.Statistics.ClassVariance).ToArray(),
            ids.Select(r.Statistics.AlphaStd).ToArray(),
            ids.Select(c => r.Count[c]).ToArray(),
            ids.Select(r.Statistics.SamplesInClass).ToArray(),
            r.Statistics.OverallVariance, r.Pushes, r.LastStep, r.CloudClasses);
    }

    public ClassStatisticsReport GetClassStatistics(IReadOnlyList<int> classIds)
    {
        var r = Read();
        var s = r.Statistics;
        var classes = Select(classIds, r).Select(c => new ClassStatisticsView(
            c, s.SamplesInClass(c), s.IsHead(c), r.Count[c], r.Capacity[c], r.Mean[c], s.ClassVariance(c),
            s.IsCloudClass(c), s.AlphaStd(c), r.Initialised[c])).ToArray();
        return new ClassStatisticsReport(classes, s.OverallVariance);
    }

    public CentreSummary GetSummary(SummaryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        CheckHistogram(options);
        var state = Volatile.Read(ref _state);
        if (state is null)
        {
            var none = new VarianceSummary(0, double.NaN, double.NaN, double.NaN);
            return new CentreSummary(null, 0, 0, 0, double.NaN, none, none, [], [], 0, -1, Version);
        }
        var r = Read();
        return CloudSummary.Build(r.Layout, r.Statistics, r.CloudClasses, options.Bins > 0 ? options.Bins : _options.HistogramBins,
            options.Min, options.Max, r.Pushes, r.LastStep, r.Version);
    }

    public CentresView GetCentres(IReadOnlyList<int> classIds)
    {
        var state = RequireState();
        int[] ids = Select(classIds, state.Layout);
        int d = state.Layout.Dimension;
        var values = new double[(long)ids.Length * d];
        var initialised = new bool[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            var p = state.Partitions[state.PartitionOf(ids[i])];
            lock (p.Gate)
            {
                int local = ids[i] - p.Start;
                p.Tracker.Centres.Values[local].data<double>().CopyTo(values, i * d);
                initialised[i] = p.Tracker.Centres.IsInitialised(local);
            }
        }
        return new CentresView(ids, d, values, initialised);
    }

    /// <summary>Per-class readings of every partition (each read under its lock) plus the statistics over all classes; cached per version.</summary>
    private Readings Read()
    {
        var state = RequireState();
        long version = Version;
        var cached = Volatile.Read(ref _cached);
        if (cached is not null && cached.Version == version && ReferenceEquals(cached.Layout, state.Layout))
        {
            return cached;
        }
        int c = state.Layout.ClassCount;
        var variance = new double[c];
        var mean = new double[c];
        var count = new int[c];
        var capacity = new int[c];
        var initialised = new bool[c];
        foreach (var p in state.Partitions)
        {
            lock (p.Gate)
            {
                var memory = p.Tracker.Memory;
                for (int local = 0; local < p.End - p.Start; local++)
                {
                    int g = p.Start + local;
                    variance[g] = memory.Variance(local);
                    mean[g] = memory.Mean(local);
                    count[g] = memory.Count(local);
                    capacity[g] = memory.Capacity(local);
                    initialised[g] = p.Tracker.Centres.IsInitialised(local);
                }
            }
        }
        var settings = state.Layout.Settings;
        var statistics = new CloudStatistics(settings.Variant, settings.HeadThreshold, state.Layout.SamplesPerClass, variance);
        var readings = new Readings(state.Layout, version, statistics, statistics.CloudClassCount(), mean, count, capacity, initialised,
            Pushes, Interlocked.Read(ref _lastStep));
        Volatile.Write(ref _cached, readings);
        return readings;
    }

    private static int[] Select(IReadOnlyList<int> classIds, Readings r) => Select(classIds, r.Layout);

    private static void CheckHistogram(SummaryOptions options)
    {
        if (options.Bins is < 0 or > SummaryOptions.MaxBins)
        {
            throw new CentreStoreException(CentreStoreError.InvalidArgument,
                $"histogram_bins must be 0 (the service default) or between 1 and {SummaryOptions.MaxBins} (was {options.Bins}).");
        }
        if (options.Min is { } min && !double.IsFinite(min))
        {
            throw new CentreStoreException(CentreStoreError.InvalidArgument, $"histogram_min must be finite (was {min}).");
        }
        if (options.Max is { } max && !double.IsFinite(max))
        {
            throw new CentreStoreException(CentreStoreError.InvalidArgument, $"histogram_max must be finite (was {max}).");
        }
    }

    private static int[] Select(IReadOnlyList<int> classIds, CentreLayout layout)
    {
        if (classIds is null || classIds.Count == 0)
        {
            return Enumerable.Range(0, layout.ClassCount).ToArray();
        }
        if (classIds.Count > layout.ClassCount)
        {
            throw new CentreStoreException(CentreStoreError.InvalidArgument,
                $"class_ids may list at most C = {layout.ClassCount} ids (was {classIds.Count}); send none for all classes.");
        }
        foreach (int c in classIds)
        {
            if ((uint)c >= (uint)layout.ClassCount)
            {
                throw new CentreStoreException(CentreStoreError.InvalidArgument, $"unknown class id {c}: ids must lie in [0, {layout.ClassCount}).");
            }
        }
        return classIds.ToArray();
    }

    private sealed record Readings(
        CentreLayout Layout, long Version, CloudStatistics Statistics, int CloudClasses, double[] Mean, int[] Count,
        int[] Capacity, bool[] Initialised, long Pushes, long LastStep);
}
