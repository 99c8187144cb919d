namespace Leap.Benchmarks.Quality;

/// <summary>One training set of a protocol (with its test set implied by the protocol).</summary>
/// <param name="Name">Cache and report key, e.g. "cuhk03-H100-S5".</param>
/// <param name="HeadClasses">H: classes kept whole (null = every class, the natural distribution).</param>
/// <param name="SamplesPerTailClass">S: samples kept per tail class.</param>
/// <param name="HeadThreshold">LEAP's T for the vanilla variant: classes with more than T samples count as head.</param>
/// <param name="Fold">LFW: the 1-based test fold (its training set comes from the other folds).</param>
public sealed record QualitySplit(string Name, int? HeadClasses, int SamplesPerTailClass, int HeadThreshold, int? Fold = null)
{
    /// <summary>A face split (LFW, has a test fold); otherwise re-ID (CUHK03).</summary>
    public bool IsFaces => Fold is not null;

    public string Describe() => HeadClasses is { } h ? $"<H{h}, S{SamplesPerTailClass}>" : "natural (every image)";
}
