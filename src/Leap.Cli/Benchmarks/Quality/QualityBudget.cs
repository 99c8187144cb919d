using System.Globalization;
using Leap.Training.Configuration;
using Leap.Training.Modeling;

namespace Leap.Cli.Benchmarks.Quality;

/// <summary>
/// The compute every cell gets: the same for every method of a protocol, so the comparison is at equal budget. The
/// defaults are sized for a shared 2-core CPU (see docs/results.md for the measured time per cell). Faces and re-ID
/// differ in steps and augmentation: CUHK03's training sets are 2-3x smaller than LFW's, and with 600 steps and no
/// augmentation the re-ID cells reached a rank-1 of only about 2% (the cells removed in commit 1f5715c), so re-ID gets
/// the usual re-ID recipe (random flip, pad-and-crop) and more passes over its images. Chosen a priori, not tuned on
/// test data.
/// </summary>
/// <param name="Steps">Training steps per face (LFW) cell.</param>
/// <param name="ReIdSteps">Training steps per re-ID (CUHK03) cell.</param>
/// <param name="BatchSize">Images per step.</param>
/// <param name="FaceSize">LFW: the 128x128 image is centre-cropped to 112x112 (the paper's face crop) and resized to FaceSize x FaceSize.</param>
/// <param name="ReIdHeight">CUHK03: the 64x128 (w x h) image is resized to ReIdWidth x ReIdHeight.</param>
/// <param name="ReIdPadCrop">CUHK03 training: random horizontal flip and zero-pad by this many pixels then random crop.</param>
/// <param name="Threads">Torch intra-op threads and image decoding threads.</param>
public sealed record QualityBudget(
    long Steps = 600,
    long ReIdSteps = 1000,
    int BatchSize = 64,
    BackboneKind Backbone = BackboneKind.SmallCnn,
    int EmbeddingDimension = 128,
    int FaceSize = 40,
    int ReIdHeight = 64,
    int ReIdWidth = 32,
    int ReIdPadCrop = 4,
    int Threads = 2)
{
    public long StepsFor(QualitySplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        return split.IsFaces ? Steps : ReIdSteps;
    }

    public AugmentationOptions AugmentationFor(QualitySplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        return split.IsFaces ? new AugmentationOptions() : new AugmentationOptions { HorizontalFlip = true, PadCrop = ReIdPadCrop };
    }

    /// <summary>The augmentation in the words the cached cells record (see <see cref="QualityRecipe.AugmentationIn"/>).</summary>
    public string AugmentationText(QualitySplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        return split.IsFaces ? QualityRecipe.NoAugmentation : string.Create(CultureInfo.InvariantCulture, $"random flip + pad-crop {ReIdPadCrop}");
    }

    /// <summary>Steps and augmentation a cached cell of <paramref name="split"/> must have to count for this budget.</summary>
    public QualityRecipe RecipeFor(QualitySplit split) => new(StepsFor(split), AugmentationText(split));

    /// <summary>The budget of one split's cells, as recorded in each cached result.</summary>
    public string Describe(QualitySplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        return split.IsFaces
            ? string.Create(CultureInfo.InvariantCulture, $"{Steps} steps x batch {BatchSize}, {Backbone}, D = {EmbeddingDimension}, faces {FaceSize}x{FaceSize} RGB, {AugmentationText(split)}, {Threads} threads")
            : string.Create(CultureInfo.InvariantCulture, $"{ReIdSteps} steps x batch {BatchSize}, {Backbone}, D = {EmbeddingDimension}, re-ID {ReIdWidth}x{ReIdHeight} RGB, {AugmentationText(split)}, {Threads} threads");
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"batch {BatchSize}, {Backbone}, D = {EmbeddingDimension}, {Threads} threads; LFW: {Steps} steps, faces {FaceSize}x{FaceSize} RGB, no augmentation; CUHK03: {ReIdSteps} steps, {ReIdWidth}x{ReIdHeight} RGB, random flip + pad-crop {ReIdPadCrop}");
}
