namespace Leap.Evaluation;

/// <summary>
/// True-positive rate at a target false-positive rate. All nullable members are null ("n/a") when there are fewer
/// than 1 / <paramref name="TargetFpr"/> negatives, i.e. when the target cannot allow even one false positive.
/// </summary>
/// <param name="Threshold">Pairs scoring strictly above it are accepted.</param>
/// <param name="AchievedFpr">The FPR actually obtained (at most the target; lower when negative scores tie).</param>
public sealed record TprAtFpr(double TargetFpr, double? Tpr, double? Threshold, double? AchievedFpr)
{
    public bool IsAvailable => Tpr.HasValue;
}
