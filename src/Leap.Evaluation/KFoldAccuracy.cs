namespace Leap.Evaluation;

/// <summary>LFW-style k-fold verification accuracy.</summary>
/// <param name="FoldAccuracies">Held-out accuracy of each fold.</param>
/// <param name="FoldThresholds">The threshold chosen on the other folds for each fold.</param>
/// <param name="Mean">Mean of <paramref name="FoldAccuracies"/>.</param>
/// <param name="StandardDeviation">Population standard deviation (ddof = 0, as InsightFace reports) of the fold accuracies.</param>
/// <param name="MeanThreshold">Mean of <paramref name="FoldThresholds"/>.</param>
public sealed record KFoldAccuracy(
    double[] FoldAccuracies,
    double[] FoldThresholds,
    double Mean,
    double StandardDeviation,
    double MeanThreshold);
