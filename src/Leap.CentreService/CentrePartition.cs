using Leap.Core.Statistics;
using static TorchSharp.torch;

namespace Leap.CentreService;

/// <summary>
/// The classes [Start, End) of the store: a Leap.Core <see cref="CentreTracker"/> over just those classes (refresh
/// interval 1, so one observed batch is one refresh) and the lock that serialises updates to them. Callers hold
/// <see cref="Gate"/> around every member.
/// </summary>
internal sealed class CentrePartition : IDisposable
{
    public CentrePartition(int start, int end, CentreLayout layout)
    {
        Start = start;
        End = end;
        Dimension = layout.Dimension;
        // One push is one refresh, whatever interval the workers buffer over.
        Tracker = new CentreTracker(layout.Settings with { RefreshInterval = 1 }, layout.SamplesPerClass.Skip(start).Take(end - start).ToArray(), layout.Dimension);
    }

    public object Gate { get; } = new();
    public int Start { get; }
    public int End { get; }
    public int Dimension { get; }
    public CentreTracker Tracker { get; }

    /// <summary>
    /// Applies the given rows (all when <paramref name="rows"/> is null) of a push's raw features [N, D], with local class
    /// ids, exactly as CentreTracker.Refresh applies one batch: one native gather and one refresh, no managed copy.
    /// </summary>
    public void Apply(Tensor features, long[]? rows, long[] localLabels, long step)
    {
        using var scope = NewDisposeScope();
        var f = rows is null ? features : features.index_select(0, tensor(rows));
        var l = tensor(localLabels);
        Tracker.Observe(f, l, step);
    }

    /// <summary>Copies centres, flags and angles into the store-wide arrays of a snapshot.</summary>
    public void CopyTo(double[] centres, bool[] initialised, double[][] angles)
    {
        int n = End - Start;
        Tracker.Centres.Values.data<double>().CopyTo(centres, checked(Start * Dimension));
        Array.Copy(Tracker.Centres.InitialisedFlags(), 0, initialised, Start, n);
        for (int c = 0; c < n; c++)
        {
            angles[Start + c] = Tracker.Memory.Angles(c);
        }
    }

    /// <summary>Replaces this partition's state with the snapshot's rows.</summary>
    public void Restore(double[] centres, bool[] initialised, double[][] angles)
    {
        int n = End - Start;
        using (var scope = NewDisposeScope())
        {
            var rows = tensor(centres.AsSpan((int)((long)Start * Dimension), n * Dimension).ToArray(), [n, Dimension]);
            Tracker.Centres.Load(rows, initialised[Start..End]);
        }
        for (int c = 0; c < n; c++)
        {
            Tracker.Memory.Restore(c, angles[Start + c]);
        }
        Tracker.RecomputeStatistics();
    }

    public void Dispose() => Tracker.Dispose();
}
