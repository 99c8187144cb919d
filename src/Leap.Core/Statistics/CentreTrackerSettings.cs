namespace Leap.Core.Statistics;

/// <summary>Explicit, typed construction arguments of a <see cref="CentreTracker"/> (validated by the host's options).</summary>
/// <param name="Variant">Which overall statistic decides the clouds (None = baseline).</param>
/// <param name="HeadThreshold">T: a class with K_i &gt; T is a head class.</param>
/// <param name="CentreLearningRate">gamma in (0, 1] (paper: 0.1).</param>
/// <param name="UpdateRule">Which reading of Eq. 4.</param>
/// <param name="RefreshInterval">Iterations between refreshes (1 for re-ID, 5 for faces).</param>
/// <param name="MemoryMultiplier">P: each class keeps K_i x P angles.</param>
public sealed record CentreTrackerSettings(
    LeapVariant Variant,
    int HeadThreshold,
    double CentreLearningRate = 0.1,
    CentreUpdateRule UpdateRule = CentreUpdateRule.CentreLoss,
    int RefreshInterval = 1,
    int MemoryMultiplier = 1);
