using static TorchSharp.torch;

namespace Leap.Core.Statistics;

/// <summary>
/// Where one refresh interval's features go and the cloud statistics come back from: the in-process
/// <see cref="CentreTracker"/> (<see cref="TrackerCentreSink"/>) or a central service. The caller owns the interval's
/// cadence (every k steps) and its lag; a sink only applies what it is handed, in the order it is handed.
/// </summary>
public interface ICentreSink
{
    /// <summary>The statistics before this run's first refresh (a service is initialised and asked here).</summary>
    CloudStatistics Start();

    /// <summary>
    /// Starts applying one interval's features (Eq. 4, then Eq. 3 against the refreshed centres). The sink takes
    /// ownership of the tensors. The refresh may run in the background; its statistics are read with
    /// <see cref="IPendingCentreRefresh.Complete"/>, which every rank calls at the same point of the step sequence
    /// and before the next <see cref="Refresh"/>.
    /// </summary>
    /// <param name="interval">The interval's global (features [n, D], labels [n]) per step, oldest first.</param>
    /// <param name="step">The last step of the interval.</param>
    IPendingCentreRefresh Refresh(IReadOnlyList<(Tensor Features, Tensor Labels)> interval, long step);
}

/// <summary>A refresh handed to an <see cref="ICentreSink"/> whose statistics may not be known yet.</summary>
public interface IPendingCentreRefresh
{
    /// <summary>Waits for the refresh and returns the statistics after it (may take part in collectives).</summary>
    CloudStatistics Complete();
}
