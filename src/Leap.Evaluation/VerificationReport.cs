namespace Leap.Evaluation;

/// <summary>The verification metrics of one pair set.</summary>
public sealed record VerificationReport(KFoldAccuracy Accuracy, IReadOnlyList<TprAtFpr> TprAtFpr, double Auc);
