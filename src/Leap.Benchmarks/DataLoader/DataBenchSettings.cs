using Leap.Core.Margins;
using Leap.Core.Statistics;
using Leap.Training.Configuration;
using Leap.Training.Modeling;

namespace Leap.Benchmarks.DataLoader;

/// <summary>What `leap bench data` runs: the loader comparison's batches and threads, and the training run's size.</summary>
/// <param name="Rounds">Alternating rounds of our loader and PyTorch's per data set.</param>
/// <param name="DecodeThreads">Our decode threads, and the DataLoader's worker processes.</param>
/// <param name="PadCrop">Random flip and zero-pad by this many pixels then random crop, on both sides.</param>
/// <param name="Threads">Torch intra-op threads of our process (the batch augmentation and the training step use them).</param>
public sealed record DataBenchSettings(
    string DataRoot,
    int Batch,
    int WarmupBatches,
    int Batches,
    int Rounds,
    int DecodeThreads,
    int PrefetchBatches,
    int PadCrop,
    int TrainBatch,
    int TrainWarmupSteps,
    int TrainSteps,
    int Threads)
{
    public const long Seed = 1;

    public const BackboneKind TrainBackbone = BackboneKind.ResNet18;

    /// <summary>
    /// The one place the benchmark's settings become <see cref="TrainingOptions"/> of the packed set: every class kept
    /// whole (H = all classes, T = 0) after the default hold-out of 2 images per class, so the loader streams nearly the
    /// whole set; the set's size and normalisation; the configured decode threads, prefetch depth and augmentation.
    /// </summary>
    public TrainingOptions LoaderOptions(DataBenchSet set, string recPath, int classCount, string outputDirectory)
    {
        ArgumentNullException.ThrowIfNull(set);
        return new TrainingOptions
        {
            Seed = Seed,
            BatchSize = Batch,
            Steps = WarmupBatches + Batches,
            OutputDirectory = outputDirectory,
            Threads = Threads,
            Data = new DataOptions
            {
                Format = DataFormat.RecordIo,
                Path = recPath,
                ImageHeight = set.Height,
                ImageWidth = set.Width,
                Channels = 3,
                Normalisation = set.Normalisation,
                DecodeThreads = DecodeThreads,
                PrefetchBatches = PrefetchBatches,
                HeadClasses = classCount,
                TailClasses = 0,
                HoldOutPerClass = 2,
                TestSamplesPerClass = 2,
            },
            Augmentation = new AugmentationOptions { HorizontalFlip = true, PadCrop = PadCrop },
            Checkpoint = new CheckpointOptions { EverySteps = 0, Resume = false },
        };
    }

    /// <summary>
    /// The training run on the same data: ResNet-18, D = 512, plain CosFace (s = 64, m = 0.35; no LEAP, the cheapest
    /// step, so the data-wait share is not flattered by a slower step), SGD 0.1 with momentum 0.9 and weight decay 5e-4 at
    /// a constant rate, no checkpoints or evaluation.
    /// </summary>
    public TrainingOptions TrainingOptions(DataBenchSet set, string recPath, int classCount, string outputDirectory)
    {
        TrainingOptions options = LoaderOptions(set, recPath, classCount, outputDirectory);
        options.BatchSize = TrainBatch;
        options.Steps = TrainWarmupSteps + TrainSteps;
        options.LogEverySteps = 10;
        options.Model = new ModelOptions { Backbone = TrainBackbone, EmbeddingDimension = 512 };
        options.Loss = new LossOptions { Margin = MarginKind.CosFace, Scale = 64, MarginValue = 0.35 };
        options.Leap = new LeapOptions { Variant = LeapVariant.None };
        options.Optimizer = new OptimizerOptions { Kind = OptimizerKind.Sgd, LearningRate = 0.1, Momentum = 0.9, WeightDecay = 5e-4 };
        options.Schedule = new ScheduleOptions { Kind = ScheduleKind.Constant, WarmupSteps = 0 };
        options.Evaluation = new EvaluationOptions { EverySteps = 0 };
        return options;
    }

    /// <summary>The command line that reproduces these settings (shown in docs/benchmarks.md).</summary>
    public string CommandLine() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"leap bench data --data {DataRoot} --batch {Batch} --warmup {WarmupBatches} --batches {Batches} --rounds {Rounds} --decode-threads {DecodeThreads} --prefetch {PrefetchBatches} --pad-crop {PadCrop} --train-batch {TrainBatch} --train-warmup {TrainWarmupSteps} --train-steps {TrainSteps} --threads {Threads}");
}
