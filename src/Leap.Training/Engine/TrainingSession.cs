using Leap.Core.Augmentation;
using Leap.Core.Margins;
using Leap.Core.Statistics;
using Leap.Training.Checkpoints;
using Leap.Training.Configuration;
using Leap.Training.Data;
using Leap.Training.Distributed;
using Leap.Training.Modeling;
using Leap.Training.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Leap.Training.Engine;

/// <summary>
/// Everything a run owns: network, classifier, optimizer, centre tracker, feature cloud, margin, schedule and the
/// step counter. Built from <see cref="TrainingOptions"/> in one place; saved and restored as a whole.
/// </summary>
public sealed class TrainingSession : IDisposable
{
    /// <param name="input">The shape of the images the network is fed (<see cref="RunData.Shape"/>, <see cref="ImageSet.Shape"/>).</param>
    /// <param name="shard">The classifier rows this process holds (default: all classes, single process).</param>
    /// <param name="centres">Where the centres and cloud statistics live: null for an in-process <see cref="CentreTracker"/>
    /// (<see cref="Tracker"/>), else e.g. the centre service (the session then has no tracker and checkpoints none).</param>
    /// <param name="placement">For a shard of several ranks: keep it (Sharded, the default), replicate every class on this
    /// rank (Replicated), or decide by <see cref="ClassifierPlacementRule"/> once the backbone is built (Auto;
    /// Training:Distributed:Classifier). <see cref="Shard"/> is then <see cref="ClassShard.Replicated"/>.</param>
    public TrainingSession(TrainingOptions options, IReadOnlyList<int> samplesPerClass, ImageShape input, Device device, ClassShard? shard = null,
        ICentreSink? centres = null, ClassifierPlacement placement = ClassifierPlacement.Sharded)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(samplesPerClass);
        Options = options;
        Device = device;
        // torch's default generator is process-wide: seeding and initialising under one lock keeps sessions built on
        // several threads (in-process multi-rank tests) identical to sessions built alone.
        lock (InitialisationLock)
        {
            random.manual_seed(options.Seed);
            Network = EmbeddingNetwork.Create(options.Model.Backbone, input, options.Model.EmbeddingDimension, options.Model.BatchNorm,
                PretrainedPath(options.Model));
        }
        Shard = shard ?? ClassShard.Whole(samplesPerClass.Count);
        if (!Shard.IsReplicated && ClassifierPlacementRule.Resolve(placement, Shard.WorldSize, Shard.TotalClasses, options.Model.EmbeddingDimension,
                Network.parameters().Sum(p => p.numel()), options.Loss.SampleRate, options.Distributed.OverlapGradients) == ClassifierPlacement.Replicated)
        {
            Shard = ClassShard.Replicated(Shard.TotalClasses, Shard.Rank, Shard.WorldSize);
        }
        Classifier = new CosineClassifier(Shard.Count, options.Model.EmbeddingDimension, Shard.Start, options.Seed);
        Network.to(device);
        Classifier.to(device);
        if (options.Loss.SampleRate < 1)
        {
            // Partial FC updates the classifier rows it sampled itself, so the optimizer never touches the others.
            Optimizer = OptimizerFactory.Create(options.Optimizer, Network.parameters());
            PartialFc = new PartialFc(
                new PartialFcSampler(options.Loss.SampleRate, options.Seed),
                new RowSparseSgd(Shard.Count, options.Model.EmbeddingDimension, options.Optimizer.Momentum, options.Optimizer.WeightDecay, device),
                Shard);
        }
        else
        {
            Optimizer = OptimizerFactory.Create(options.Optimizer, Network.parameters().Concat(Classifier.parameters()));
        }
        Schedule = ScheduleFactory.Create(options.Schedule, options.Optimizer.LearningRate, options.Steps);
        Margin = MarginFactory.Create(options.Loss.Margin, options.Loss.Scale, options.Loss.MarginValue);
        var leap = options.Leap;
        if (centres is null)
        {
            Tracker = new CentreTracker(leap.TrackerSettings(), samplesPerClass, options.Model.EmbeddingDimension);
            centres = new TrackerCentreSink(Tracker);
        }
        var initial = Tracker?.Statistics
            ?? new CloudStatistics(leap.Variant, leap.HeadThreshold, samplesPerClass, Enumerable.Repeat(double.NaN, samplesPerClass.Count).ToArray());
        Centres = new CentreRefresh(centres, leap.RefreshInterval, leap.RefreshLag, initial);
        Cloud = new FeatureCloud(Centres, new AlphaSampler(unchecked((ulong)options.Seed), leap.AlphaMode),
            new CloudSchedule(leap.CloudStartEpoch, leap.CloudStartIteration));
        Augmentation = new BatchAugmentation(options.Augmentation, options.Seed);
        using (var first = Shard.Start.ToScalar())
        using (var end = (Shard.Start + Shard.Count).ToScalar())
        using (var one = 1.ToScalar())
        {
            ColumnClassIds = arange(first, end, one, ScalarType.Int64);
        }
        string checkpoints = Path.Combine(options.OutputDirectory, "checkpoints");
        if (Shard.WorldSize > 1)
        {
            checkpoints = Path.Combine(checkpoints, ShardedCheckpointReader.RankFolderName(Shard.Rank, Shard.WorldSize));
        }
        Checkpoints = new CheckpointStore(checkpoints, options.Checkpoint.Keep);
    }

    private static readonly Lock InitialisationLock = new();

    /// <summary>The ONNX file Model:Pretrained = ImageNet reads (Model:PretrainedPath, else the shipped one); null for None.</summary>
    /// <exception cref="FileNotFoundException">No such file; the message names the key.</exception>
    /// <remarks>Also rebuilds a run's network for export: the file fixes the ResNet's stage layout.</remarks>
    public static string? PretrainedPath(ModelOptions model)
    {
        if (model.Pretrained == PretrainedWeights.None)
        {
            return null;
        }
        bool shipped = string.IsNullOrWhiteSpace(model.PretrainedPath);
        string path = shipped ? ImageNetResNet18.ShippedPath : model.PretrainedPath;
        return File.Exists(path) ? path : throw new FileNotFoundException(shipped
            ? $"Training:Model:Pretrained = ImageNet: the shipped weights '{path}' are missing (the build copies them from the Microsoft.ML.DnnImageFeaturizer.ResNet18 package); rebuild or set Training:Model:PretrainedPath."
            : $"Training:Model:PretrainedPath = '{path}': no such file.", path);
    }

    public TrainingOptions Options { get; }
    public Device Device { get; }
    public EmbeddingNetwork Network { get; }
    public CosineClassifier Classifier { get; }
    public ClassShard Shard { get; }
    public OptimizerHelper Optimizer { get; }
    /// <summary>Partial FC (Loss:SampleRate &lt; 1): the classifier's row sampler and row-sparse optimizer; null otherwise.</summary>
    public PartialFc? PartialFc { get; }
    public ILearningRateSchedule Schedule { get; }
    public IMarginTransform Margin { get; }
    /// <summary>The in-process centre tracker; null when the centres live elsewhere (the centre service).</summary>
    public CentreTracker? Tracker { get; }
    /// <summary>The refresh cadence and lag, and the statistics the clouds use (<see cref="FeatureCloud.Source"/>).</summary>
    public CentreRefresh Centres { get; }
    public FeatureCloud Cloud { get; }
    public BatchAugmentation Augmentation { get; }
    public Tensor ColumnClassIds { get; }
    public CheckpointStore Checkpoints { get; }

    /// <summary>Completed steps; the next step to run.</summary>
    public long Step { get; set; }
    public int NonFiniteSteps { get; set; }

    /// <summary>
    /// Writes a host's own files into every checkpoint directory before it commits (e.g. a benchmark cell's progress),
    /// so they are restored with, and only with, the weights of the same step.
    /// </summary>
    public Action<string>? CheckpointExtras { get; set; }

    private const string TrackerFileName = "tracker.bin";

    /// <summary>Saves the step (collective with a refresh in flight: every rank settles it first, at the same step).</summary>
    public string SaveCheckpoint()
    {
        Centres.Settle();
        var meta = new CheckpointMeta(Step, Options.Seed, Shard.TotalClasses, Options.Model.EmbeddingDimension, NonFiniteSteps, Shard.IsReplicated);
        return Checkpoints.Save(Step, meta, dir =>
        {
            Network.save(Path.Combine(dir, "network.bin"));
            Classifier.save(Path.Combine(dir, "classifier.bin"));
            OptimizerStateFile.Save(Optimizer, Path.Combine(dir, "optimizer.bin"));
            // TorchSharp's own format (Save), which Tensor.Load reads; torch.save's (lower-case save) it cannot.
            PartialFc?.Optimizer.Buffer.Save(Path.Combine(dir, "classifier-momentum.bin"));
            if (Tracker is not null)
            {
                using var stream = File.Create(Path.Combine(dir, TrackerFileName));
                using var writer = new BinaryWriter(stream);
                CentreTrackerState.Write(writer, Tracker);
            }
            using (var stream = File.Create(Path.Combine(dir, CentreRefreshState.FileName)))
            using (var writer = new BinaryWriter(stream))
            {
                CentreRefreshState.Write(writer, Centres);
            }
            CheckpointExtras?.Invoke(dir);
        });
    }

    /// <summary>Restores the newest checkpoint if there is one; returns its directory.</summary>
    /// <param name="centres">False for a session that only evaluates or exports: the centre tracker and refresh state
    /// are then not read (a run whose centres lived in the centre service has no tracker.bin).</param>
    public string? TryResume(bool centres = true) => Restore(Checkpoints.Latest(), centres);

    /// <summary>Restores the checkpoint of a given step (a distributed job resumes from its last committed step).</summary>
    /// <param name="centres">As for <see cref="TryResume"/>.</param>
    public string Resume(long step, bool centres = true) => Restore(Checkpoints.At(step), centres)
        ?? throw new InvalidOperationException($"No complete checkpoint of step {step} under {Checkpoints.Root}.");

    private string? Restore((string Directory, CheckpointMeta Meta)? checkpoint, bool centres)
    {
        if (checkpoint is null)
        {
            return null;
        }
        var (dir, meta) = checkpoint.Value;
        EnsureCompatible(dir, meta);
        if (meta.ReplicatedClassifier != Shard.IsReplicated)
        {
            throw new InvalidOperationException(
                $"Checkpoint {dir} was written with the classifier {(meta.ReplicatedClassifier ? "replicated" : "sharded")} and this run holds it {(Shard.IsReplicated ? "replicated" : "sharded")} " +
                "(Training:Distributed:Classifier): restore it with ReshardedCheckpoint, as a job resumed with another placement does, or set the placement it was written with.");
        }
        Network.LoadWeights(Path.Combine(dir, "network.bin"));
        Classifier.load(Path.Combine(dir, "classifier.bin"));
        OptimizerStateFile.Load(Optimizer, Path.Combine(dir, "optimizer.bin"));
        if (PartialFc is not null)
        {
            using var momentum = Tensor.Load(Path.Combine(dir, "classifier-momentum.bin"));
            PartialFc.Optimizer.Buffer.copy_(momentum);
        }
        if (centres)
        {
            LoadCentres(dir);
        }
        Step = meta.Step;
        NonFiniteSteps = meta.NonFiniteSteps;
        return dir;
    }

    /// <summary>
    /// Restores the centre tracker (tracker.bin, when this session has one) and the refresh buffer and statistics
    /// (centre-refresh.bin; a checkpoint written before it existed keeps its buffer in tracker.bin) of a checkpoint.
    /// </summary>
    internal void LoadCentres(string directory)
    {
        if (Tracker is not null)
        {
            string path = Path.Combine(directory, TrackerFileName);
            if (!File.Exists(path))
            {
                throw new InvalidOperationException(
                    $"Checkpoint {directory} has no {TrackerFileName}: it was written by a run whose centres lived in the centre service; resume it with the centre service.");
            }
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream);
            CentreTrackerState.Read(reader, Tracker);
        }
        string refresh = Path.Combine(directory, CentreRefreshState.FileName);
        if (File.Exists(refresh))
        {
            using var stream = File.OpenRead(refresh);
            using var reader = new BinaryReader(stream);
            CentreRefreshState.Read(reader, Centres);
        }
    }

    /// <exception cref="InvalidOperationException">The checkpoint is of another class count, embedding size or seed.</exception>
    public void EnsureCompatible(string directory, CheckpointMeta meta)
    {
        ArgumentNullException.ThrowIfNull(meta);
        if (meta.ClassCount != Shard.TotalClasses || meta.EmbeddingDimension != Options.Model.EmbeddingDimension || meta.Seed != Options.Seed)
        {
            throw new InvalidOperationException(
                $"Checkpoint {directory} is for {meta.ClassCount} classes x {meta.EmbeddingDimension} dims, seed {meta.Seed}; " +
                $"this run has {Shard.TotalClasses} x {Options.Model.EmbeddingDimension}, seed {Options.Seed}. Use another Training:OutputDirectory.");
        }
    }

    public void Dispose()
    {
        Network.Dispose();
        Classifier.Dispose();
        Optimizer.Dispose();
        PartialFc?.Dispose();
        Centres.Dispose();
        Tracker?.Dispose();
        ColumnClassIds.Dispose();
    }
}
