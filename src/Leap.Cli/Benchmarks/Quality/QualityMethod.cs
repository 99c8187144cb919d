using Leap.Core.Margins;
using Leap.Core.Statistics;

namespace Leap.Cli.Benchmarks.Quality;

/// <summary>One column of the quality benchmark: a margin and a LEAP variant (None = the plain baseline).</summary>
public sealed record QualityMethod(string Name, MarginKind Margin, LeapVariant Variant)
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

    /// <exception cref="ArgumentException">No method has that name (case-insensitive).</exception>
    public static QualityMethod Parse(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown method '{name}'; choose from {string.Join(", ", All.Select(m => m.Name))}.", nameof(name));
}
