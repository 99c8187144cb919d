using Leap.Core.Statistics;
using static TorchSharp.torch;

namespace Leap.Training.Engine;

/// <summary>
/// The one place of the refresh cadence: buffers every step's global features and, on every step with
/// (step + 1) divisible by <see cref="Interval"/>, hands the interval to its <see cref="ICentreSink"/> (the in-process
/// tracker or the centre service). It is the feature cloud's <see cref="ICloudStatisticsSource"/>.
/// <list type="bullet">
/// <item>Lag 0: the refresh of interval i completes at once; interval i + 1 trains on its statistics.</item>
/// <item>Lag 1: the refresh of interval i runs while interval i + 1 trains (on the statistics of interval i - 1);
/// it is completed at the end of interval i + 1, whose statistics are then swapped in.</item>
/// </list>
/// The same rule drives every sink, so N workers equal one process under either lag.
/// </summary>
public sealed class CentreRefresh : ICloudStatisticsSource, IDisposable
{
    private readonly List<(Tensor Features, Tensor Labels)> _buffer = [];
    private readonly ICentreSink _sink;
    private readonly int[] _samplesPerClass;
    private IPendingCentreRefresh? _inFlight;
    private bool _restored;

    /// <param name="initial">The statistics until the first refresh is published (its variant, T and K_i also
    /// rebuild restored statistics).</param>
    public CentreRefresh(ICentreSink sink, int interval, int lag, CloudStatistics initial)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(initial);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(interval);
        if (lag is not (0 or 1))
        {
            throw new ArgumentOutOfRangeException(nameof(lag), lag, "The refresh lag must be 0 or 1.");
        }
        _sink = sink;
        Interval = interval;
        Lag = lag;
        Statistics = initial;
        _samplesPerClass = Enumerable.Range(0, initial.ClassCount).Select(initial.SamplesInClass).ToArray();
    }

    /// <summary>Steps per refresh (Leap:RefreshInterval).</summary>
    public int Interval { get; }

    /// <summary>Intervals between a refresh and the first step that uses its statistics, minus one (Leap:RefreshLag).</summary>
    public int Lag { get; }

    /// <summary>The statistics the clouds use now.</summary>
    public CloudStatistics Statistics { get; private set; }

    /// <summary>Lag 1: the statistics of the last refresh, completed but not yet in use (null when none or not settled).</summary>
    public CloudStatistics? Ready { get; private set; }

    /// <summary>The steps buffered since the last refresh, oldest first (raw features as the step produced them).</summary>
    public IReadOnlyList<(Tensor Features, Tensor Labels)> Buffered => _buffer;

    /// <summary>Before the first step: starts the sink; a restored run keeps its checkpointed statistics.</summary>
    public void Start()
    {
        var initial = _sink.Start();
        if (!_restored)
        {
            Statistics = initial;
        }
    }

    public void Observe(Tensor embeddings, Tensor labels, long step, bool skipped)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(labels);
        if (!skipped)
        {
            // Copies that outlive the step (the trainer disposes the outcome's tensors), outside any dispose scope; the
            // detached view is disposed here rather than left to the finalizer (which could free it mid-clone).
            using var detached = embeddings.detach();
            _buffer.Add((detached.clone().DetachFromDisposeScope(), labels.clone().DetachFromDisposeScope()));
        }
        if ((step + 1) % Interval != 0)
        {
            return;
        }
        var interval = _buffer.ToArray();
        _buffer.Clear();
        if (Lag == 0)
        {
            Statistics = _sink.Refresh(interval, step).Complete();
            return;
        }
        Settle();
        if (Ready is not null)
        {
            Statistics = Ready;
            Ready = null;
        }
        _inFlight = _sink.Refresh(interval, step);
    }

    /// <summary>Waits for a refresh still running (lag 1) and keeps its statistics as <see cref="Ready"/>; every rank calls it at the same step.</summary>
    public void Settle()
    {
        if (_inFlight is null)
        {
            return;
        }
        var pending = _inFlight;
        _inFlight = null;
        Ready = pending.Complete();
    }

    /// <summary>Replaces the buffer and the statistics (checkpoint resume); takes ownership of the tensors.</summary>
    /// <param name="published">sigma_i^2 in use at the checkpoint, or null to keep what the sink reports at start.</param>
    /// <param name="ready">sigma_i^2 of a completed refresh not yet in use, or null.</param>
    public void Restore(IEnumerable<(Tensor Features, Tensor Labels)> buffered, double[]? published, double[]? ready)
    {
        ArgumentNullException.ThrowIfNull(buffered);
        ClearBuffer();
        _buffer.AddRange(buffered);
        _inFlight = null;
        Ready = ready is null ? null : Rebuild(ready);
        if (published is not null)
        {
            Statistics = Rebuild(published);
            _restored = true;
        }
        if (Lag == 0 && Ready is not null)
        {
            // A lag-1 checkpoint resumed with lag 0: use the newest statistics at once.
            Statistics = Ready;
            Ready = null;
            _restored = true;
        }
    }

    private CloudStatistics Rebuild(double[] variance) =>
        new(Statistics.Variant, Statistics.HeadThreshold, _samplesPerClass, variance);

    public void Dispose() => ClearBuffer();

    private void ClearBuffer()
    {
        foreach (var (f, l) in _buffer)
        {
            f.Dispose();
            l.Dispose();
        }
        _buffer.Clear();
    }
}
