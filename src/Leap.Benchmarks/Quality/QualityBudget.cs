using System.Globalization;
using Leap.Core.Margins;
using Leap.Training.Configuration;
using Leap.Training.Modeling;

namespace Leap.Benchmarks.Quality;

/// <summary>
/// The compute and recipe every cell gets: the same for every method of a protocol, so the comparison is at equal
/// budget. Two editions exist. <see cref="V1"/> (the constructor's defaults) is the first grid's small CNN trained from
/// scratch with SGD, sized for a shared 2-core CPU; its models stayed near chance (docs/results-v1.md). <see cref="V2"/>
/// is the paper's recipe as far as this machine allows: ImageNet-initialised ResNet-18, Adam, the paper's scales and
/// margins, refresh every 5 iterations, re-ID images 128x64 and faces 112x112. Chosen a priori, not tuned on test data.
/// </summary>
/// <param name="Steps">Training steps per face (LFW) cell.</param>
/// <param name="ReIdSteps">Training steps per re-ID (CUHK03, Market-1501) cell.</param>
/// <param name="BatchSize">Images per step.</param>
/// <param name="FaceSize">LFW: the 128x128 image is centre-cropped to 112x112 (the paper's face crop) and resized to FaceSize x FaceSize.</param>
/// <param name="ReIdHeight">Re-ID: the 64x128 (w x h) image is resized to ReIdWidth x ReIdHeight.</param>
/// <param name="ReIdPadCrop">Re-ID training: random horizontal flip and zero-pad by this many pixels then random crop.</param>
/// <param name="Threads">Torch intra-op threads and image decoding threads.</param>
/// <param name="Pretrained">Initial backbone weights.</param>
/// <param name="Optimizer">SGD (lr 0.1, momentum 0.9) or Adam (lr 3.5e-4, the re-ID standard); weight decay 5e-4 either way.</param>
/// <param name="PaperMargins">The paper's s and m per task (re-ID CosFace 24/0.2, ArcFace 16/0.2; faces CosFace 64/0.35, ArcFace 64/0.5); otherwise the small-model 24/0.2 and 24/0.3.</param>
/// <param name="RefreshInterval">LEAP's centre/statistics refresh interval in iterations (the paper: 5).</param>
/// <param name="CurvePoints">Baseline cells of seed 1 are also scored this many times during training (the learning curve); 0 = never.</param>
/// <param name="ReIdRandomErasing">Re-ID training: random erasing probability (Augmentation:RandomErasing); 0 = off (the v2 grid's cells).</param>
/// <param name="Faces">How LFW cells train and are scored (<see cref="FaceRecipe"/>).</param>
/// <param name="FacePadCrop">Faces with <see cref="FaceRecipe.ValidationFoldFlip"/>: also zero-pad by this many pixels then random crop in training (0 = off; the v2 grid: 8, chosen over flip alone by the validation fold's AUC, 94.05 against 93.91 %, see docs/results.md's probes).</param>
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
    int Threads = 2,
    PretrainedWeights Pretrained = PretrainedWeights.None,
    OptimizerKind Optimizer = OptimizerKind.Sgd,
    bool PaperMargins = false,
    int RefreshInterval = 1,
    int CurvePoints = 0,
    double ReIdRandomErasing = 0,
    FaceRecipe Faces = FaceRecipe.NineFoldThreshold,
    int FacePadCrop = 0)
{
    /// <summary>The first grid (small CNN from scratch); its cells live in docs/bench/quality.</summary>
    public static QualityBudget V1 { get; } = new();

    /// <summary>The second grid (ImageNet ResNet-18, the paper's recipe); its cells live in docs/bench/quality-v2.</summary>
    public static QualityBudget V2 { get; } = new(
        Steps: 600, ReIdSteps: 800, BatchSize: 64, Backbone: BackboneKind.ResNet18, EmbeddingDimension: 512, FaceSize: 112,
        ReIdHeight: 128, ReIdWidth: 64, ReIdPadCrop: 10, Threads: 2, Pretrained: PretrainedWeights.ImageNet,
        Optimizer: OptimizerKind.Adam, PaperMargins: true, RefreshInterval: 5, CurvePoints: 4, Faces: FaceRecipe.ValidationFoldFlip, FacePadCrop: 8);

    /// <summary>Whether faces are flipped in training (and summed with their mirror image at test).</summary>
    public bool FaceFlip => Faces == FaceRecipe.ValidationFoldFlip;

    /// <summary>The input normalisation the backbone's initial weights expect.</summary>
    public ImageNormalisation Normalisation => Pretrained == PretrainedWeights.ImageNet ? ImageNormalisation.ImageNet : ImageNormalisation.SymmetricUnit;

    public long StepsFor(QualitySplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        return split.IsFaces ? Steps : ReIdSteps;
    }

    /// <summary>Scale s and margin m of a margin kind on a split's task.</summary>
    public (double Scale, double Margin) MarginFor(QualitySplit split, MarginKind margin)
    {
        ArgumentNullException.ThrowIfNull(split);
        bool cosFace = margin == MarginKind.CosFace;
        if (!PaperMargins)
        {
            return (24, cosFace ? 0.2 : 0.3);
        }

        return split.IsFaces ? (64, cosFace ? 0.35 : 0.5) : (cosFace ? 24 : 16, 0.2);
    }

    public OptimizerOptions OptimizerOptions() => Optimizer == OptimizerKind.Adam
        ? new OptimizerOptions { Kind = OptimizerKind.Adam, LearningRate = 3.5e-4, WeightDecay = 5e-4 }
        : new OptimizerOptions { Kind = OptimizerKind.Sgd, LearningRate = 0.1, Momentum = 0.9, WeightDecay = 5e-4 };

    public AugmentationOptions AugmentationFor(QualitySplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        return split.IsFaces ? new AugmentationOptions { HorizontalFlip = FaceFlip, PadCrop = FaceFlip ? FacePadCrop : 0 } : new AugmentationOptions { HorizontalFlip = true, PadCrop = ReIdPadCrop, RandomErasing = ReIdRandomErasing };
    }

    /// <summary>The augmentation in the words the cached cells record (see <see cref="QualityRecipe.AugmentationIn"/>).</summary>
    public string AugmentationText(QualitySplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        return split.IsFaces ? FaceAugmentationText : ReIdAugmentationText;
    }

    private string FaceAugmentationText => !FaceFlip ? QualityRecipe.NoAugmentation
        : FacePadCrop > 0 ? string.Create(CultureInfo.InvariantCulture, $"random flip + pad-crop {FacePadCrop}") : QualityRecipe.FlipOnly;

    private string ReIdAugmentationText => ReIdRandomErasing > 0
        ? string.Create(CultureInfo.InvariantCulture, $"random flip + pad-crop {ReIdPadCrop}, random erasing {ReIdRandomErasing:0.###}")
        : string.Create(CultureInfo.InvariantCulture, $"random flip + pad-crop {ReIdPadCrop}");

    /// <summary>Steps, augmentation and input size a cached cell of <paramref name="split"/> must have to count for this budget.</summary>
    public QualityRecipe RecipeFor(QualitySplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        // Read back from the cell's own budget text by the rule the cached results are read with.
        return QualityRecipe.Of(StepsFor(split), Describe(split), split.Name);
    }

    /// <summary>The input in the words of <see cref="Describe(QualitySplit)"/>: "faces 112x112" or "re-ID 64x128" (width x height).</summary>
    public string InputText(QualitySplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        return split.IsFaces
            ? string.Create(CultureInfo.InvariantCulture, $"faces {FaceSize}x{FaceSize}")
            : string.Create(CultureInfo.InvariantCulture, $"re-ID {ReIdWidth}x{ReIdHeight}");
    }

    /// <summary>The budget of one split's cells, as recorded in each cached result.</summary>
    public string Describe(QualitySplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        return split.IsFaces
            ? string.Create(CultureInfo.InvariantCulture, $"{Steps} steps x batch {BatchSize}, {Model}, D = {EmbeddingDimension}, {InputText(split)} RGB, {AugmentationText(split)}, {Threads} threads")
            : string.Create(CultureInfo.InvariantCulture, $"{ReIdSteps} steps x batch {BatchSize}, {Model}, D = {EmbeddingDimension}, {InputText(split)} RGB, {AugmentationText(split)}, {Threads} threads");
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"batch {BatchSize}, {Model}, D = {EmbeddingDimension}, {Threads} threads; LFW: {Steps} steps, faces {FaceSize}x{FaceSize} RGB, {FaceAugmentationText}; re-ID: {ReIdSteps} steps, {ReIdWidth}x{ReIdHeight} RGB, {ReIdAugmentationText}");

    /// <summary>The hyper-parameters in words, for the report.</summary>
    public string DescribeHyperParameters()
    {
        var faces = new QualitySplit("faces", null, 1, 1, Fold: 1);
        var reId = new QualitySplit("re-ID", 1, 1, 1);
        string Margins(QualitySplit split) => string.Create(CultureInfo.InvariantCulture,
            $"CosFace s = {MarginFor(split, MarginKind.CosFace).Scale}, m = {MarginFor(split, MarginKind.CosFace).Margin}; ArcFace s = {MarginFor(split, MarginKind.ArcFace).Scale}, m = {MarginFor(split, MarginKind.ArcFace).Margin}");
        string margins = PaperMargins ? $"re-ID {Margins(reId)}; faces {Margins(faces)} (the paper's)" : Margins(reId);
        OptimizerOptions optimizer = OptimizerOptions();
        string optimiser = optimizer.Kind == OptimizerKind.Adam
            ? string.Create(CultureInfo.InvariantCulture, $"Adam lr {optimizer.LearningRate}, weight decay {optimizer.WeightDecay}")
            : string.Create(CultureInfo.InvariantCulture, $"SGD lr {optimizer.LearningRate}, momentum {optimizer.Momentum}, weight decay {optimizer.WeightDecay}");
        return string.Create(CultureInfo.InvariantCulture,
            $"{margins}; {optimiser}, 5% warm-up then cosine; LEAP clouds from 20% of the steps, centre lr 0.1, refresh every {(RefreshInterval == 1 ? "step" : $"{RefreshInterval} steps")}, vanilla head threshold T = S");
    }

    private string Model => Pretrained == PretrainedWeights.None ? Backbone.ToString() : $"{Backbone} ({Pretrained}-initialised)";
}
