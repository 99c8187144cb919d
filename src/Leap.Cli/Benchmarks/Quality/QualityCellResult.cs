namespace Leap.Cli.Benchmarks.Quality;

/// <summary>What one finished cell measured, as cached on disk.</summary>
/// <param name="Steps">Training steps the cell ran (part of the cache key: another budget recomputes the cell).</param>
/// <param name="Metrics">Metric name -> value (fractions, not percentages).</param>
/// <param name="Budget">The budget in words (input size, backbone, batch...), for the report.</param>
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
    string Budget)
{
    public QualityCell Cell => new(Split, Method, Seed);

    [System.Text.Json.Serialization.JsonIgnore]
    public QualityRecipe Recipe => new(Steps, QualityRecipe.AugmentationIn(Budget));
}
