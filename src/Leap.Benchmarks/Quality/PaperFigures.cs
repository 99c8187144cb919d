namespace Leap.Benchmarks.Quality;

/// <summary>
/// Figures of the LEAP paper (Liu et al., CVPR 2020) for the protocols this benchmark reproduces, as quoted in the
/// project's issue #12; only those are listed, none is inferred.
/// </summary>
public static class PaperFigures
{
    public const string Source = "Liu et al., CVPR 2020, re-ID with ImageNet ResNet-50, as quoted in issue #12";

    /// <summary>One reported number (a percentage).</summary>
    public sealed record Figure(string Split, string Method, string Metric, double Value);

    public static IReadOnlyList<Figure> Baselines { get; } =
    [
        new("market-H20-S5", "CosFace", "rank1", 78.6),
        new("market-H20-S5", "ArcFace", "rank1", 81.1),
    ];
}
