using TorchSharp;
using static TorchSharp.torch;

namespace Leap.Core.Statistics;

/// <summary>
/// Class centres + angle memory + the cloud statistics derived from them. Features are observed every step and
/// buffered; every <see cref="RefreshInterval"/> steps the buffered features move the centres (Eq. 4), their angles
/// to the refreshed centres enter the angle memory (Eq. 3), and sigma_i^2 / sigma^2 are recomputed (Eq. 5, 6, 9).
/// </summary>
public sealed class CentreTracker : ICloudStatisticsSource, IDisposable
{
    private readonly List<(Tensor Features, Tensor Labels)> _pending = [];
    private readonly int[] _samplesPerClass;

    /// <summary>
    /// Two sigma_i^2 buffers used in turn: a refresh writes the one the current <see cref="Statistics"/> does not
    /// use, so statistics are rebuilt without per-refresh allocations that grow with the class count, and the
    /// snapshot a caller holds stays intact through the next refresh (not the one after).
    /// </summary>
    private readonly double[][] _variance;
    private int _nextBuffer;

    public CentreTracker(CentreTrackerSettings settings, IReadOnlyList<int> samplesPerClass, int dimension)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(samplesPerClass);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.RefreshInterval);
        Settings = settings;
        Centres = new ClassCentres(samplesPerClass.Count, dimension, settings.CentreLearningRate, settings.UpdateRule);
        Memory = new AngleMemory(samplesPerClass, settings.MemoryMultiplier);
        _samplesPerClass = [.. samplesPerClass];
        _variance = [new double[samplesPerClass.Count], new double[samplesPerClass.Count]];
        Statistics = RebuildStatistics();
    }

    public CentreTrackerSettings Settings { get; }
    public int RefreshInterval => Settings.RefreshInterval;
    public ClassCentres Centres { get; }
    public AngleMemory Memory { get; }
    /// <summary>
    /// The statistics of the last refresh. The snapshot shares its sigma_i^2 buffer with the tracker: it stays valid
    /// through the next refresh, not the one after, so read it afresh each step and copy it (the public
    /// <see cref="CloudStatistics"/> constructor) to keep it longer or to hand it to another thread.
    /// </summary>
    public CloudStatistics Statistics { get; private set; }
    public int ClassCount => Centres.ClassCount;

    /// <summary>Buffers the step's features; on every <see cref="RefreshInterval"/>-th step (step + 1 divisible) refreshes.</summary>
    /// <returns>True when this call refreshed the statistics.</returns>
    public bool Observe(Tensor features, Tensor labels, long step)
    {
        Buffer(features, labels);
        if ((step + 1) % RefreshInterval != 0)
        {
            return false;
        }
        Refresh();
        return true;
    }

    /// <summary>Buffers one step's features (L2-normalised float64 copies) for the next <see cref="Refresh"/>.</summary>
    public void Buffer(Tensor features, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.dim() != 2 || features.shape[1] != Centres.Dimension || labels.dim() != 1 || labels.shape[0] != features.shape[0])
        {
            throw new ArgumentException(
                $"Expected features [N, {Centres.Dimension}] and labels [N]; got [{string.Join(", ", features.shape)}] and [{string.Join(", ", labels.shape)}].");
        }
        ClassIdValidation.Check(labels, ClassCount, nameof(labels));
        using (NewDisposeScope())
        {
            var exact = features.detach().to(ScalarType.Float64, CPU);
            // exact * exact, not square(): no temporary Scalar (see ClassCentres.Update).
            var badRows = (exact * exact).sum(1).isfinite().logical_not().nonzero();
            if (badRows.shape[0] > 0)
            {
                throw new ArgumentException(
                    $"features row {badRows[0, 0].item<long>()} is not finite or has an L2 norm too large to normalise in float64 ({badRows.shape[0]} such rows).",
                    nameof(features));
            }
            var normalised = nn.functional.normalize(exact, dim: 1);
            _pending.Add((normalised.MoveToOuterDisposeScope(), labels.to(ScalarType.Int64, CPU).clone().MoveToOuterDisposeScope()));
        }
    }

    /// <summary>Applies the buffered features now (Eq. 4, then Eq. 3 against the refreshed centres).</summary>
    public void Refresh()
    {
        if (_pending.Count == 0)
        {
            return;
        }
        using (NewDisposeScope())
        {
            var features = cat(_pending.Select(p => p.Features).ToList(), 0);
            var labels = cat(_pending.Select(p => p.Labels).ToList(), 0);
            Centres.Update(features, labels);
            var centres = nn.functional.normalize(Centres.Values.index_select(0, labels), dim: 1);
            using var lowest = (-1.0).ToScalar();
            using var highest = 1.0.ToScalar();
            var cosine = (features * centres).sum(1).clamp(lowest, highest);
            double[] angles = cosine.acos().data<double>().ToArray();
            int[] ids = labels.data<long>().ToArray().Select(l => (int)l).ToArray();
            Memory.Push(ids, angles);
        }
        ClearPending();
        Statistics = RebuildStatistics();
    }

    /// <summary>Std of alpha per sample ([B], float64, CPU) under the current statistics.</summary>
    public Tensor AlphaStd(Tensor labels) => Statistics.AlphaStd(labels);

    /// <summary>Recomputes the statistics after a restore of centres and memory.</summary>
    public void RecomputeStatistics() => Statistics = RebuildStatistics();

    private CloudStatistics RebuildStatistics()
    {
        double[] buffer = _variance[_nextBuffer];
        _nextBuffer ^= 1;
        Memory.CopyVariances(buffer);
        return CloudStatistics.Adopt(Settings.Variant, Settings.HeadThreshold, _samplesPerClass, buffer);
    }

    public int PendingSteps => _pending.Count;

    /// <summary>The buffered (normalised, float64) features and labels not yet applied, oldest first (for checkpoints).</summary>
    public IReadOnlyList<(Tensor Features, Tensor Labels)> Pending => _pending;

    /// <summary>Replaces the buffer (checkpoint resume); takes ownership of the tensors.</summary>
    public void RestorePending(IEnumerable<(Tensor Features, Tensor Labels)> pending)
    {
        ArgumentNullException.ThrowIfNull(pending);
        ClearPending();
        _pending.AddRange(pending);
    }

    public void Dispose()
    {
        ClearPending();
        Centres.Dispose();
    }

    private void ClearPending()
    {
        foreach (var (f, l) in _pending)
        {
            f.Dispose();
            l.Dispose();
        }
        _pending.Clear();
    }
}
