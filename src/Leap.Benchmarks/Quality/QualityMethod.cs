using Leap.Core.Margins;
using Leap.Core.Statistics;

namespace Leap.Benchmarks.Quality;

/// <summary>
/// One column of the quality benchmark: a margin and a LEAP variant (None = the plain baseline), and the partial-FC
/// sample rate of the classifier (1 = the full classifier), and Leap:RefreshLag (1 = clouds use the statistics of the
/// interval before the one just ended, with the refresh overlapped with training).
/// </summary>
public sealed record QualityMethod(string Name, MarginKind Margin, LeapVariant Variant, double SampleRate = 1, int RefreshLag = 0)
{
    /// <summary>The paper's six methods, in its table order.</summary>
    public static readonly IReadOnlyList<QualityMethod> All =
    [
        new("CosFace", MarginKind.CosFace, LeapVariant.None),
        new("LEAP-CV", MarginKind.CosFace, LeapVariant.Vanilla),
        new("LEAP-CF", MarginKind.CosFace, LeapVariant.Full),
        new("ArcFace", MarginKind.ArcFace, LeapVariant.None),
        new("LEAP-AV", MarginKind.ArcFace, LeapVariant.Vanilla),
        new("LEAP-AF", MarginKind.ArcFace, LeapVariant.Full),
    ];

    /// <summary>
    /// Partial FC variants (every positive class plus a fraction r of the negatives per step), asked for by name with
    /// --methods: does r = 0.1-0.3 keep the accuracy of the full classifier?
    /// </summary>
    public static readonly IReadOnlyList<QualityMethod> PartialFc =
    [
        new("CosFace-PFC0.1", MarginKind.CosFace, LeapVariant.None, 0.1),
        new("CosFace-PFC0.3", MarginKind.CosFace, LeapVariant.None, 0.3),
        new("LEAP-CF-PFC0.1", MarginKind.CosFace, LeapVariant.Full, 0.1),
        new("LEAP-CF-PFC0.3", MarginKind.CosFace, LeapVariant.Full, 0.3),
    ];

    /// <summary>
    /// LEAP with the overlapped refresh (Leap:RefreshLag = 1), asked for by name with --methods: does using statistics one
    /// interval late change the accuracy? Paired by seed with LEAP-CF in the report.
    /// </summary>
    public static readonly IReadOnlyList<QualityMethod> Lagged =
    [
        new("LEAP-CF-Lag1", MarginKind.CosFace, LeapVariant.Full, RefreshLag: 1),
    ];

    private static IEnumerable<QualityMethod> Named => All.Concat(PartialFc).Concat(Lagged);

    /// <exception cref="ArgumentException">No method has that name (case-insensitive).</exception>
    public static QualityMethod Parse(string name) =>
        Named.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown method '{name}'; choose from {string.Join(", ", Named.Select(m => m.Name))}.", nameof(name));
}
