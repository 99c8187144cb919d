namespace Leap.Benchmarks.Quality;

/// <summary>One cell of the grid: a training split of a protocol, a method and a seed.</summary>
/// <param name="Split">e.g. "lfw-fold01-natural" or "cuhk03-H100-S5".</param>
public sealed record QualityCell(string Split, string Method, long Seed)
{
    /// <summary>Where the cell's result lives under the results directory: split/method/seed-N.json.</summary>
    public string RelativePath => Path.Combine(Split, Method, $"seed-{Seed}.json");

    public override string ToString() => $"{Split} / {Method} / seed {Seed}";
}
