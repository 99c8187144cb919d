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

    /// <summary>A LEAP - baseline gain the paper reports (points), which the grid's paired test decides.</summary>
    public sealed record Gain(string Split, string Metric, double Points, string Words);

    /// <summary>The gain the issue asks the grid to decide: Market &lt;H20, S3&gt;, the paper's largest Market-1501 gain.</summary>
    public static IReadOnlyList<Gain> Gains { get; } =
    [
        new("market-H20-S3", "rank1", 11.7, "the paper's largest Market-1501 gain, +11.7 rank-1 at <H20, S3>"),
    ];

    public static IReadOnlyList<Figure> Baselines { get; } =
    [
        new("market-H20-S5", "CosFace", "rank1", 78.6),
        new("market-H20-S5", "ArcFace", "rank1", 81.1),
    ];
}
