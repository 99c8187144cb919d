using Leap.Evaluation;

namespace Leap.Training.Engine;

/// <summary>
/// The end-of-run (or periodic) evaluation on the held-out test images of the training classes, and the metrics of
/// the extra evaluation sets as "set/metric" (empty when none is configured).
/// </summary>
public sealed record EvaluationSummary(
    long Step,
    int TestImages,
    ClassificationReport Classification,
    VerificationReport Verification,
    AngularSpreadReport AngularSpread,
    IReadOnlyDictionary<string, double>? Sets = null);
