namespace Leap.Benchmarks.Quality;

/// <summary>What one finished cell measured, as cached on disk.</summary>
/// <param name="Steps">Training steps the cell ran (part of the cache key: another budget recomputes the cell).</param>
/// <param name="Metrics">Metric name -> value (fractions, not percentages).</param>
/// <param name="Budget">The budget in words (input size, backbone, batch...), for the report.</param>
/// <param name="Curve">The test metrics scored during training (learning curve), when the budget asked for it.</param>
/// <param name="Spread">Head and tail classes' mean intra-class angle (radians) of the trained model's training features.</param>
/// <param name="ResumedAtSteps">Steps at which the cell resumed from its checkpoint after a stop; null when it ran in one go.</param>
/// <param name="CpuIsa">ONEDNN_MAX_CPU_ISA while the cell trained ("unrestricted" when unset); null in cells recorded before it was kept.</param>
public sealed record QualityCellResult(
    string Split,
    string Method,
    long Seed,
    long Steps,
    int TrainImages,
    int TrainClasses,
    double TrainSeconds,
    DateTimeOffset Finished,
    IReadOnlyDictionary<string, double> Metrics,
    string Budget,
    IReadOnlyList<QualityCurvePoint>? Curve = null,
    QualitySpread? Spread = null,
    string? CpuIsa = null,
    IReadOnlyList<long>? ResumedAtSteps = null)
{
    public QualityCell Cell => new(Split, Method, Seed);

    [System.Text.Json.Serialization.JsonIgnore]
    public QualityRecipe Recipe => QualityRecipe.Of(Steps, Budget, Split);
}

/// <summary>One point of a cell's learning curve: the mean training loss since the previous point and the test metrics at <paramref name="Step"/>.</summary>
public sealed record QualityCurvePoint(long Step, double Loss, IReadOnlyDictionary<string, double> Metrics);

/// <summary>
/// Mean angle (radians) between a class's L2-normalised training features and their centre, averaged over head and
/// over tail classes: the paper's observation that tail classes span less of the feature space (0.463 vs 0.288).
/// </summary>
public sealed record QualitySpread(double Head, double Tail, int HeadClasses, int TailClasses);
