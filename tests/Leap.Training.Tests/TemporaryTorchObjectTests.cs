using Leap.Core.Statistics;
using Leap.Training.Configuration;
using Leap.Training.Data;
using Leap.Training.Distributed;
using Leap.Training.Engine;
using Leap.Training.Hooks;
using Leap.Training.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace Leap.Training.Tests;

/// <summary>
/// Training steps leave no TorchSharp Scalar and no Tensor to the finalizer. TorchSharp hands a native handle to libtorch
/// without keeping the managed object alive for the call, so a temporary (<c>t * 0.5</c>'s Scalar, an optimizer's
/// <c>add_(g, lr)</c>, the <c>detach()</c> in <c>x.detach().clone()</c> outside a dispose scope) can be finalized by a
/// collection on another thread while libtorch still reads it: "Expected false to be true" from Scalar::toDouble, or a
/// crashed process (CI's test host, in at::native::clone). An object that reaches its finalizer was such a temporary,
/// so counting them finds every one deterministically, however rarely the race itself strikes. Counting starts once
/// the sessions are built (building a network still leaves TorchSharp's own initialisation temporaries, once per run);
/// <see cref="BuildingASession_LeavesNoScalar"/> covers what the session itself adds.
/// </summary>
public sealed class TemporaryTorchObjectTests : IDisposable
{
    private static readonly int[] Counts = [60, 50, 40, 30, 5, 4, 4, 3, 3, 2, 2];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-temporaries-" + Guid.NewGuid().ToString("N"));

    private TrainingOptions Options(string name, OptimizerKind optimizer, double sampleRate = 1.0) => new()
    {
        Seed = 3,
        BatchSize = 24,
        Steps = 12,
        OutputDirectory = Path.Combine(_root, name),
        Model = { EmbeddingDimension = 16, BatchNorm = true },
        Loss = { Scale = 16, MarginValue = 0.2, SampleRate = sampleRate },
        Leap = { Variant = LeapVariant.Full, HeadThreshold = 20, RefreshInterval = 2, CloudStartIteration = 2 },
        Augmentation = { HorizontalFlip = true, PadCrop = 2 },
        Optimizer = { Kind = optimizer, LearningRate = optimizer == OptimizerKind.Adam ? 0.001 : 0.05, WeightDecay = 5e-4 },
        Schedule = { Kind = ScheduleKind.Cosine, WarmupSteps = 3 },
        Checkpoint = { EverySteps = 0 },
    };

    [Fact]
    public void Counter_SeesATemporaryScalarAndAnOrphanTensor()
    {
        using var finalized = new FinalizedObjects();
        using (var t = zeros(4))
        {
            using var product = t * 0.5;
            using var copy = t.detach().clone(); // the detach() result is left to the finalizer
        }
        finalized.Settle();
        Assert.True(finalized.Count<Scalar>() >= 1, "the temporary Scalar of t * 0.5 was not counted");
        Assert.True(finalized.Count<Tensor>() >= 1, "the orphan detach() was not counted");
    }

    [Fact]
    public void BuildingASession_LeavesNoScalar()
    {
        using var data = SyntheticData.LongTailed(Counts, seed: 4);
        using var finalized = new FinalizedObjects();
        using (new TrainingSession(Options("build", OptimizerKind.Sgd, sampleRate: 0.5), data.SamplesPerClass(), data.Shape, CPU))
        {
        }
        finalized.Settle();
        Assert.Equal(0, finalized.Count<Scalar>());
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd)]
    [InlineData(OptimizerKind.Adam)]
    public void OneProcess_StepsLeaveNothingToTheFinalizer(OptimizerKind optimizer)
    {
        set_num_threads(1);
        using var data = SyntheticData.LongTailed(Counts, seed: 4);
        var options = Options($"single-{optimizer}", optimizer);
        var plan = new EpochPlan(options.Seed, data.Count, options.BatchSize);
        using var session = new TrainingSession(options, data.SamplesPerClass(), data.Shape, CPU);
        using var finalized = new FinalizedObjects();
        new Trainer(session, new LocalStep(session, new ImageSetBatches(data, plan), plan), [new CentreRefreshHook()]).Run();
        AssertNothingFinalized(finalized);
    }

    /// <summary>What a run does besides steps: the evaluation (embeddings, verification pairs, identification) and a checkpoint.</summary>
    [Fact]
    public void EvaluationAndCheckpoint_LeaveNothingToTheFinalizer()
    {
        set_num_threads(1);
        using var data = SyntheticData.LongTailed(Counts, seed: 4);
        var options = Options("evaluate", OptimizerKind.Sgd);
        var plan = new EpochPlan(options.Seed, data.Count, options.BatchSize);
        using var session = new TrainingSession(options, data.SamplesPerClass(), data.Shape, CPU);
        new Trainer(session, new LocalStep(session, new ImageSetBatches(data, plan), plan), [new CentreRefreshHook()]).Run();
        var evaluator = new RunEvaluator(data, new HashSet<int>([0, 1, 2, 3]), pairs: 200, options.Seed);
        using var finalized = new FinalizedObjects();
        var summary = evaluator.Evaluate(session);
        session.SaveCheckpoint();
        AssertNothingFinalized(finalized);
        Assert.True(summary.Classification.OverallAccuracy > 0);
    }

    /// <summary>
    /// Every backbone's training steps, on tiny random images. TorchVision's own ResNet blocks added their shortcut
    /// through a temporary Scalar, one per block per step, hence <see cref="ResNets"/>.
    /// </summary>
    [Theory]
    [InlineData(BackboneKind.ResNet18, 32)]
    [InlineData(BackboneKind.ResNet50, 32)]
    [InlineData(BackboneKind.IResNet18, 112)]
    [InlineData(BackboneKind.MobileFaceNet, 112)]
    public void EachBackbone_StepsLeaveNothingToTheFinalizer(BackboneKind backbone, int size)
    {
        set_num_threads(1);
        int[] counts = [6, 5, 4, 3, 3, 2, 2];
        long[] labels = [.. counts.SelectMany((k, c) => Enumerable.Repeat((long)c, k))];
        using var data = new ImageSet(randn(labels.Length, 3, size, size, generator: new Generator(5)), labels,
            [.. Enumerable.Range(0, labels.Length).Select(i => (long)i)], counts.Length);
        var options = new TrainingOptions
        {
            Seed = 3,
            BatchSize = 8,
            Steps = 3,
            OutputDirectory = Path.Combine(_root, $"backbone-{backbone}"),
            Model = { Backbone = backbone, EmbeddingDimension = 16 },
            Leap = { Variant = LeapVariant.Full, HeadThreshold = 4, RefreshInterval = 1 },
            Optimizer = { Kind = OptimizerKind.Adam, LearningRate = 0.001 },
            Checkpoint = { EverySteps = 0 },
        };
        var plan = new EpochPlan(options.Seed, data.Count, options.BatchSize);
        using var session = new TrainingSession(options, data.SamplesPerClass(), data.Shape, CPU);
        using var finalized = new FinalizedObjects();
        new Trainer(session, new LocalStep(session, new ImageSetBatches(data, plan), plan), [new CentreRefreshHook()]).Run();
        AssertNothingFinalized(finalized);
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd, ClassifierPlacement.Sharded, 0.5)]
    [InlineData(OptimizerKind.Adam, ClassifierPlacement.Replicated, 1.0)]
    public async Task TwoRanks_StepsLeaveNothingToTheFinalizer(OptimizerKind optimizer, ClassifierPlacement placement, double sampleRate)
    {
        set_num_threads(1);
        using var data = SyntheticData.LongTailed(Counts, seed: 4);
        // The ranks build their sessions, wait while this thread starts counting, then train: the steps are what is counted.
        using var built = new Barrier(3);
        using var counting = new Barrier(3);
        var ranks = Task.Run(() => EquivalentRuns.OnRanks(2, (collectives, rank) =>
        {
            var options = Options($"{placement}-rank{rank}", optimizer, sampleRate);
            var plan = new EpochPlan(options.Seed, data.Count, options.BatchSize);
            using var session = new TrainingSession(options, data.SamplesPerClass(), data.Shape, CPU, ClassShard.For(Counts.Length, rank, 2),
                placement: placement);
            var batches = new ImageSetBatches(data, plan, rank, 2);
            IStepRunner step = session.Shard.IsReplicated
                ? new ReplicatedClassifierStep(session, batches, plan, collectives)
                : new DataParallelStep(session, batches, plan, collectives);
            using var ownedStep = step as IDisposable; // as WorkerRun does: the replicated step owns its reduction buffer
            built.SignalAndWait();
            counting.SignalAndWait();
            new Trainer(session, step, [new CentreRefreshHook()]).Run();
            return rank;
        }));
        Assert.True(built.SignalAndWait(TimeSpan.FromMinutes(1)), "the ranks did not build their sessions within a minute");
        using var finalized = new FinalizedObjects();
        counting.SignalAndWait();
        await ranks;
        AssertNothingFinalized(finalized);
    }

    private static void AssertNothingFinalized(FinalizedObjects finalized)
    {
        finalized.Settle();
        long scalars = finalized.Count<Scalar>(), tensors = finalized.Count<Tensor>();
        Assert.True(scalars == 0 && tensors == 0, $"{scalars} Scalars and {tensors} Tensors reached their finalizer");
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
