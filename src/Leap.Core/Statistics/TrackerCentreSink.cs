using static TorchSharp.torch;

namespace Leap.Core.Statistics;

/// <summary>
/// The in-process <see cref="ICentreSink"/>: applies an interval to a <see cref="CentreTracker"/> at once, exactly
/// as the tracker's own <see cref="CentreTracker.Observe"/> would over the same steps.
/// </summary>
public sealed class TrackerCentreSink(CentreTracker tracker) : ICentreSink
{
    public CentreTracker Tracker { get; } = tracker ?? throw new ArgumentNullException(nameof(tracker));

    public CloudStatistics Start() => Tracker.Statistics;

    public IPendingCentreRefresh Refresh(IReadOnlyList<(Tensor Features, Tensor Labels)> interval, long step)
    {
        ArgumentNullException.ThrowIfNull(interval);
        try
        {
            foreach (var (features, labels) in interval)
            {
                Tracker.Buffer(features, labels);
            }
        }
        finally
        {
            foreach (var (features, labels) in interval)
            {
                features.Dispose();
                labels.Dispose();
            }
        }
        Tracker.Refresh();
        return new CompletedRefresh(Tracker.Statistics);
    }

    /// <summary>
    /// The tracker's snapshot of this refresh: it shares a sigma_i^2 buffer with the tracker and stays valid through
    /// the next refresh, which is as long as a caller lagging one interval needs it.
    /// </summary>
    private sealed class CompletedRefresh(CloudStatistics statistics) : IPendingCentreRefresh
    {
        public CloudStatistics Complete() => statistics;
    }
}
