using Leap.Core.Augmentation;
using Leap.Core.Margins;
using Leap.Core.Statistics;
using Leap.Training.Modeling;

namespace Leap.Training.Configuration;

/// <summary>
/// The trainer's configuration, bound from JSON (section "Training"), <c>--set Key=Value</c> and LEAP_TRAINING__*
/// environment variables; <see cref="TrainingOptionsValidator"/> checks it at start-up.
/// </summary>
public sealed class TrainingOptions
{
    public const string SectionName = "Training";

    public DataOptions Data { get; set; } = new();
    public ModelOptions Model { get; set; } = new();
    public LossOptions Loss { get; set; } = new();
    public LeapOptions Leap { get; set; } = new();
    public AugmentationOptions Augmentation { get; set; } = new();
    public OptimizerOptions Optimizer { get; set; } = new();
    public ScheduleOptions Schedule { get; set; } = new();
    public CheckpointOptions Checkpoint { get; set; } = new();
    public EvaluationOptions Evaluation { get; set; } = new();
    public DistributedOptions Distributed { get; set; } = new();

    /// <summary>Seeds model initialisation, data order and alpha draws.</summary>
    public long Seed { get; set; } = 1;
    public int BatchSize { get; set; } = 128;
    public long Steps { get; set; } = 600;
    /// <summary>Where logs, TensorBoard events, checkpoints and the evaluation report go.</summary>
    public string OutputDirectory { get; set; } = "runs/default";
    public int LogEverySteps { get; set; } = 20;
    /// <summary>Abort after this many steps with a non-finite loss (each one is skipped and reported).</summary>
    public int MaxNonFiniteSteps { get; set; } = 5;
    /// <summary>"cpu", "cuda" or "cuda:N" (CUDA needs the CUDA libtorch package).</summary>
    public string Device { get; set; } = "cpu";
    /// <summary>
    /// Torch intra-op threads; 0 = the default: libtorch's own in one process, one per available core in a worker, and
    /// `leap launch` gives each of its N workers max(1, cores / N).
    /// </summary>
    public int Threads { get; set; }
}

/// <summary>Where the training images come from; one value per layout.</summary>
public enum DataFormat
{
    /// <summary>An MNIST-layout folder: {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]; the test set is t10k.</summary>
    Idx,

    /// <summary>An InsightFace / MXNet indexed RecordIO file (Data:Path = train.rec, with train.idx beside it), as `leap pack` writes.</summary>
    RecordIo,

    /// <summary>One sub-folder of images per identity (Data:Path = the root).</summary>
    ImageFolder,

    /// <summary>A Market-1501 copy (Data:Path = its root with bounding_box_train/, or that folder itself).</summary>
    Market1501,
}

/// <summary>Per-channel normalisation of decoded images (values in [0, 1]).</summary>
public enum ImageNormalisation
{
    /// <summary>IDX: (x - 0.5) / 0.35; images: <see cref="SymmetricUnit"/>.</summary>
    Default,

    /// <summary>(x - 0.5) / 0.5, i.e. [-1, 1], as InsightFace trains.</summary>
    SymmetricUnit,

    /// <summary>ImageNet mean and std (for ImageNet-initialised backbones).</summary>
    ImageNet,
}

public sealed class DataOptions
{
    public DataFormat Format { get; set; } = DataFormat.Idx;

    /// <summary>The data set: an IDX folder, a .rec file, an identity-folder root or a Market-1501 root (per <see cref="Format"/>).</summary>
    public string Path { get; set; } = "/usr/share/datasets/fashion-mnist";

    /// <summary>Rows of every training image; 0 = the first image's size, which every image must then have (IDX: always its own).</summary>
    public int ImageHeight { get; set; }

    /// <summary>Columns of every training image; 0 = the first image's size.</summary>
    public int ImageWidth { get; set; }

    /// <summary>3 (RGB) or 1 (grey) for image formats; IDX is always 1.</summary>
    public int Channels { get; set; } = 3;

    public ImageNormalisation Normalisation { get; set; } = ImageNormalisation.Default;

    /// <summary>Threads that read and decode this worker's slice of each batch.</summary>
    public int DecodeThreads { get; set; } = 2;

    /// <summary>Batches decoded ahead of the step (bounded queue); memory per worker = this x the local batch.</summary>
    public int PrefetchBatches { get; set; } = 2;

    /// <summary>A corrupt image or record: Throw names it and stops; Skip logs, counts and replaces it with the next image of its class.</summary>
    public Leap.Data.CorruptDataPolicy OnCorruptImage { get; set; } = Leap.Data.CorruptDataPolicy.Throw;

    /// <summary>
    /// Image formats: images held out of training per class (classes with more than this many images), seeded; the held-out
    /// images of the kept classes are the evaluation set. IDX uses its t10k files instead.
    /// </summary>
    public int HoldOutPerClass { get; set; } = 2;

    /// <summary>Number of head classes kept whole (classes ranked by sample count).</summary>
    public int HeadClasses { get; set; } = 5;
    /// <summary>Number of tail classes after the head ones; -1 = all remaining.</summary>
    public int TailClasses { get; set; } = -1;
    /// <summary>Samples kept per tail class.</summary>
    public int SamplesPerTailClass { get; set; } = 20;
    /// <summary>Cap on the test images per class used for evaluation (0 = all).</summary>
    public int TestSamplesPerClass { get; set; } = 300;
}

public sealed class ModelOptions
{
    /// <summary>
    /// The network before the embedding (<see cref="BackboneKind"/>); IResNet18/34/50 and MobileFaceNet size their head
    /// for the images' height and width and need at least 16x16.
    /// </summary>
    public BackboneKind Backbone { get; set; } = BackboneKind.SmallCnn;
    public int EmbeddingDimension { get; set; } = 64;
    /// <summary>
    /// Batch normalisation in the backbone and after the embedding layer (the paper's setting). Off gives a model
    /// without batch statistics, whose data-parallel runs equal single-process runs exactly.
    /// </summary>
    public bool BatchNorm { get; set; } = true;

    /// <summary>Initial backbone weights; the embedding layer and its BN always start random.</summary>
    public PretrainedWeights Pretrained { get; set; } = PretrainedWeights.None;

    /// <summary>Pretrained = ImageNet: the ONNX file to read; empty = the one shipped with leap (pretrained/ResNet18.onnx beside it).</summary>
    public string PretrainedPath { get; set; } = "";
}

/// <summary>Where the backbone's initial weights come from.</summary>
public enum PretrainedWeights
{
    /// <summary>Random initialisation (TorchVision's).</summary>
    None,

    /// <summary>
    /// ResNet18 only: the ImageNet ResNet-18 of the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 (CNTK-trained,
    /// three blocks in its last stage); its stem is adapted to Data:Normalisation = ImageNet input. See ImageNetResNet18.
    /// </summary>
    ImageNet,
}

public sealed class LossOptions
{
    public MarginKind Margin { get; set; } = MarginKind.CosFace;
    public double Scale { get; set; } = 24;
    public double MarginValue { get; set; } = 0.2;
    /// <summary>
    /// Partial FC: per step, every class of the global batch plus this fraction of the other classes of each shard get
    /// logits and updates; the other rows (and their momentum) are untouched. 1 = the full classifier.
    /// </summary>
    public double SampleRate { get; set; } = 1;
}

public sealed class LeapOptions
{
    public LeapVariant Variant { get; set; } = LeapVariant.Full;
    /// <summary>T: classes with K_i &gt; T are head classes (vanilla variant).</summary>
    public int HeadThreshold { get; set; } = 20;
    public double CentreLearningRate { get; set; } = 0.1;
    public CentreUpdateRule CentreUpdateRule { get; set; } = CentreUpdateRule.CentreLoss;
    public int RefreshInterval { get; set; } = 1;
    /// <summary>
    /// 0: the clouds of interval i + 1 use the statistics refreshed at the end of interval i. 1: they use those of
    /// interval i - 1, and the refresh of interval i (the centre service's push and pull) runs while i + 1 trains.
    /// </summary>
    public int RefreshLag { get; set; }
    public int MemoryMultiplier { get; set; } = 1;
    public AlphaMode AlphaMode { get; set; } = AlphaMode.PerColumn;
    public int CloudStartEpoch { get; set; }
    public long CloudStartIteration { get; set; } = 100;

    /// <summary>The settings of the centre tracker (in process or in the centre service) these options give.</summary>
    public CentreTrackerSettings TrackerSettings() =>
        new(Variant, HeadThreshold, CentreLearningRate, CentreUpdateRule, RefreshInterval, MemoryMultiplier);
}

public enum OptimizerKind
{
    Sgd,
    Adam,
}

public sealed class OptimizerOptions
{
    public OptimizerKind Kind { get; set; } = OptimizerKind.Sgd;
    public double LearningRate { get; set; } = 0.1;
    public double Momentum { get; set; } = 0.9;
    public double WeightDecay { get; set; } = 5e-4;
}

public enum ScheduleKind
{
    Constant,
    Step,
    Cosine,
    Triangular,
}

public sealed class ScheduleOptions
{
    public ScheduleKind Kind { get; set; } = ScheduleKind.Cosine;
    public long WarmupSteps { get; set; } = 50;
    /// <summary>Step schedule: the rate is multiplied by <see cref="Gamma"/> at each milestone.</summary>
    public long[] Milestones { get; set; } = [];
    public double Gamma { get; set; } = 0.1;
    /// <summary>Cosine: final rate; triangular: lower bound of the cycle.</summary>
    public double MinimumLearningRate { get; set; } = 1e-4;
    /// <summary>Triangular: steps from the lower to the upper bound (half a cycle).</summary>
    public long HalfCycleSteps { get; set; } = 200;
}

/// <summary>
/// Per-step training augmentation of the decoded images, keyed by (seed, step, sample): a sample gets the same flip,
/// crops and colours whichever worker, thread or batch position it lands in, so data-parallel runs still reproduce
/// single-process ones. Random resized crop and colour jitter act on each sample while it is decoded (in [0, 1] pixel
/// space, before normalisation); flip and pad-crop act on the normalised batch. Evaluation images are never augmented.
/// Off by default.
/// </summary>
public sealed class AugmentationOptions
{
    /// <summary>Mirror each training image left-right with probability 0.5.</summary>
    public bool HorizontalFlip { get; set; }

    /// <summary>Zero-pad each side by this many pixels (zero = the normalised mean), then crop the original size back at a random offset; 0 = off.</summary>
    public int PadCrop { get; set; }

    /// <summary>
    /// Minimum area fraction s in (0, 1] of torchvision's RandomResizedCrop: crop a region of area fraction uniform in
    /// [s, 1] and aspect ratio in [3/4, 4/3] (centre crop after 10 failed tries), resized to the configured size; 0 = off.
    /// </summary>
    public double RandomResizedCrop { get; set; }

    /// <summary>
    /// Strength j in [0, 1] of torchvision's ColorJitter without hue: brightness, contrast and saturation factors each
    /// uniform in [1 - j, 1 + j], applied in a random order and clamped to [0, 1]; 0 = off.
    /// </summary>
    public double ColourJitter { get; set; }

    /// <summary>
    /// Probability p in [0, 1] of random erasing (Zhong et al.; fast-reid's REA, p = 0.5 in its re-ID recipes): one
    /// rectangle of 2-40 % of the image, aspect ratio 0.3-3.3, set to the normalised mean colour; 0 = off.
    /// </summary>
    public double RandomErasing { get; set; }
}

public sealed class CheckpointOptions
{
    /// <summary>0 = only at the end.</summary>
    public long EverySteps { get; set; } = 200;
    public int Keep { get; set; } = 3;
    /// <summary>Resume from the newest checkpoint under the output directory if there is one.</summary>
    public bool Resume { get; set; } = true;
}

/// <summary>What an evaluation set file is.</summary>
public enum EvaluationSetKind
{
    /// <summary>LFW-style pairs.txt (Path) over an identity-folder tree (Images, default: the folder of pairs.txt); its folds as written.</summary>
    PairList,

    /// <summary>CFP-FP / CFP-FF: Path = the Protocol folder (Pair_list_F/P.txt, Split/FP|FF/01..10/same|diff.txt); Protocol = FrontalProfile or FrontalFrontal.</summary>
    Cfp,

    /// <summary>InsightFace verification .bin (lfw.bin, cfp_fp.bin, agedb_30.bin): pickled JPEG bytes and same/different flags; 10 folds.</summary>
    Bin,

    /// <summary>Market-1501 query/gallery retrieval: Path = the data set root (bounding_box_test, and query/ when present, else one query per person and camera by a fixed seed).</summary>
    ReId,
}

/// <summary>One evaluation set scored during training (every Evaluation:EverySteps) and at the end, and by leap eval.</summary>
public sealed class EvaluationSetOptions
{
    public EvaluationSetKind Kind { get; set; } = EvaluationSetKind.PairList;

    /// <summary>The file or folder of the set (see <see cref="EvaluationSetKind"/>).</summary>
    public string Path { get; set; } = "";

    /// <summary>PairList: root of the identity folders the pairs name; empty = the folder holding the pairs file.</summary>
    public string Images { get; set; } = "";

    /// <summary>Metric prefix in logs, metrics.jsonl and TensorBoard; empty = from the file name (e.g. "lfw", "cfp_fp", "market1501").</summary>
    public string Name { get; set; } = "";

    /// <summary>Cfp only.</summary>
    public Leap.Evaluation.VerificationSets.CfpProtocol Protocol { get; set; } = Leap.Evaluation.VerificationSets.CfpProtocol.FrontalProfile;
}

public sealed class EvaluationOptions
{
    /// <summary>Extra evaluation sets (pair lists, .bin files, re-ID query/gallery); none by default.</summary>
    public EvaluationSetOptions[] Sets { get; set; } = [];

    /// <summary>Evaluate (verification on held-out pairs) every N steps; 0 = only at the end.</summary>
    public long EverySteps { get; set; }
    public int Pairs { get; set; } = 3000;
}

/// <summary>How a data-parallel worker (leap launch, leap worker) communicates; ignored by single-process training.</summary>
public sealed class DistributedOptions
{
    /// <summary>
    /// Run the backbone's backward stage by stage (stem, residual stages, head) and all-reduce each stage's gradients
    /// on a background task while the earlier stages' backward runs; false = one backward, then the all-reduces. The
    /// same gradients either way. Off by default: on the 2-core machine of docs/benchmarks.md ("Overlapped gradient
    /// all-reduce", `leap bench overlap`) the background all-reduce competes with the backward for the cores and the
    /// overlapped step was not faster; turn it on where communication has cores (or a network) of its own.
    /// </summary>
    public bool OverlapGradients { get; set; }

    /// <summary>
    /// Where the classifier's rows live: Sharded (each rank a class range, model parallel), Replicated (every rank all
    /// rows, its gradient in the backbone's all-reduce: one collective per step) or Auto (default: replicated when the
    /// classifier is small next to the backbone, see ClassifierPlacementRule). Replicated needs Loss:SampleRate = 1 and
    /// OverlapGradients = false. Checkpoints keep the rank folders either way; a job resumes across placements.
    /// </summary>
    public Leap.Training.Distributed.ClassifierPlacement Classifier { get; set; } = Leap.Training.Distributed.ClassifierPlacement.Auto;
}
