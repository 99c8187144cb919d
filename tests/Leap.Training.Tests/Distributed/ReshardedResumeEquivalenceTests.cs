using Leap.Collectives;
using Leap.Core.Statistics;
using Leap.Training.Checkpoints;
using Leap.Training.Configuration;
using Leap.Training.Data;
using Leap.Training.Distributed;
using Leap.Training.Engine;
using Leap.Training.Hooks;
using Leap.Training.Optimization;
using static TorchSharp.torch;

namespace Leap.Training.Tests.Distributed;

/// <summary>
/// A run that changes its world size at a checkpoint (issue #16): 2 ranks for 100 steps, then 3 ranks for 100 more,
/// then 1 rank for 50, each phase resumed from the previous phase's checkpoints through
/// <see cref="ReshardedCheckpoint"/>, equals one process trained for 250 steps: every step's loss, the backbone and
/// every classifier row, for a model without batch statistics, with LEAP alpha on and a cosine schedule that spans the
/// whole run. Full FC with SGD momentum and with Adam (the classifier's optimizer state is cut by rows), and partial FC
/// (its row-sparse momentum is cut by rows). Every step's loss agrees within 1e-4; SGD's weights agree element by element
/// within 1e-4 of the largest, Adam's within 1e-3 in relative norm (<see cref="AdamNormTolerance"/>), and a resume that
/// loses the Adam moments misses that by two orders of magnitude.
/// </summary>
public sealed class ReshardedResumeEquivalenceTests : IDisposable
{
    private const int Steps = 250;
    // 45 classes: 15 per shard of 3, so partial FC at rate 0.5 always samples a column on every shard.
    private static readonly int[] Counts =
        [60, 50, 40, 30, 20, 12, 8, 6, 5, 5, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-reshard-" + Guid.NewGuid().ToString("N"));

    private TrainingOptions Options(string name, double sampleRate, OptimizerKind optimizer) => new()
    {
        Seed = 17,
        BatchSize = 24,
        Steps = Steps,
        OutputDirectory = Path.Combine(_root, name),
        Model = { EmbeddingDimension = 16, BatchNorm = false },
        Loss = { Scale = 16, MarginValue = 0.2, SampleRate = sampleRate },
        Leap = { Variant = LeapVariant.Full, HeadThreshold = 20, RefreshInterval = 5, CloudStartIteration = 2 },
        Optimizer = { Kind = optimizer, LearningRate = optimizer == OptimizerKind.Adam ? 0.0005 : 0.05 },
        Schedule = { Kind = ScheduleKind.Cosine, WarmupSteps = 0 },
        Checkpoint = { EverySteps = 0 },
    };

    [Theory]
    [InlineData(1.0, OptimizerKind.Sgd)]
    [InlineData(1.0, OptimizerKind.Adam)]
    [InlineData(0.5, OptimizerKind.Sgd)]
    public void Run_TwoThenThreeThenOneWorkers_EqualsOneProcess(double sampleRate, OptimizerKind optimizer)
    {
        set_num_threads(1);
        using var data = SyntheticData.LongTailed(Counts, seed: 8);
        var single = TrainSingle(data, sampleRate, optimizer);

        var (twoLosses, twoCheckpoints) = TrainPhase(data, sampleRate, optimizer, "two", worldSize: 2, resumeFrom: null, resumeStep: 0, stopAt: 100);
        var (threeLosses, threeCheckpoints) = TrainPhase(data, sampleRate, optimizer, "three", worldSize: 3, resumeFrom: twoCheckpoints, resumeStep: 100, stopAt: 200);
        var last = TrainLastPhase(data, sampleRate, optimizer, threeCheckpoints);

        var phased = last with { Losses = [.. twoLosses, .. threeLosses, .. last.Losses] };
        Assert.Equal(Steps, phased.Losses.Length);
        Assert.Contains(single.CloudSamples, c => c > 0);
        AssertEquivalent(optimizer, single, phased);
    }

    /// <summary>
    /// The Adam comparison can fail: the same three phases, but the 3-worker phase loses every Adam moment and step count
    /// after its restore (as a resume that read only the weights would), differ from one process by far more than
    /// <see cref="AdamNormTolerance"/>.
    /// </summary>
    [Fact]
    public void Run_ResumeThatLosesTheAdamMoments_DiffersFromOneProcess()
    {
        set_num_threads(1);
        using var data = SyntheticData.LongTailed(Counts, seed: 8);
        var single = TrainSingle(data, 1.0, OptimizerKind.Adam);

        var (twoLosses, twoCheckpoints) = TrainPhase(data, 1.0, OptimizerKind.Adam, "two", worldSize: 2, resumeFrom: null, resumeStep: 0, stopAt: 100);
        var (threeLosses, threeCheckpoints) = TrainPhase(data, 1.0, OptimizerKind.Adam, "three", worldSize: 3, resumeFrom: twoCheckpoints, resumeStep: 100, stopAt: 200,
            afterRestore: ForgetOptimizerState);
        var last = TrainLastPhase(data, 1.0, OptimizerKind.Adam, threeCheckpoints);

        double difference = EquivalentRuns.LargestRelativeNormDifference(single, [last]);
        Assert.True(difference > 10 * AdamNormTolerance, $"largest relative norm difference {difference:E2} is within 10 x {AdamNormTolerance:E0}");
    }

    /// <summary>
    /// A job that changes the classifier's placement at a checkpoint (Training:Distributed:Classifier, #17): 2 ranks
    /// replicated, then the same 2 ranks sharded, then 3 ranks replicated, then 1 rank, equals one process. The
    /// replicated checkpoints record it, and a session of the other placement refuses them on a plain resume.
    /// </summary>
    [Theory]
    [InlineData(OptimizerKind.Sgd)]
    [InlineData(OptimizerKind.Adam)]
    public void Run_ReplicatedThenShardedThenReplicatedClassifier_EqualsOneProcess(OptimizerKind optimizer)
    {
        set_num_threads(1);
        using var data = SyntheticData.LongTailed(Counts, seed: 8);
        var single = TrainSingle(data, 1.0, optimizer);

        var (first, firstCheckpoints) = TrainPhase(data, 1.0, optimizer, "rep2", worldSize: 2, resumeFrom: null, resumeStep: 0, stopAt: 80, ClassifierPlacement.Replicated);
        var (second, secondCheckpoints) = TrainPhase(data, 1.0, optimizer, "shard2", worldSize: 2, resumeFrom: firstCheckpoints, resumeStep: 80, stopAt: 160);
        var (third, thirdCheckpoints) = TrainPhase(data, 1.0, optimizer, "rep3", worldSize: 3, resumeFrom: secondCheckpoints, resumeStep: 160, stopAt: 200, ClassifierPlacement.Replicated);
        var last = TrainLastPhase(data, 1.0, optimizer, thirdCheckpoints);

        Assert.All(firstCheckpoints.Concat(thirdCheckpoints), d => Assert.True(CheckpointStore.ReadMeta(d)!.ReplicatedClassifier, d));
        Assert.All(secondCheckpoints, d => Assert.False(CheckpointStore.ReadMeta(d)!.ReplicatedClassifier, d));
        var phased = last with { Losses = [.. first, .. second, .. third, .. last.Losses] };
        Assert.Equal(Steps, phased.Losses.Length);
        AssertEquivalent(optimizer, single, phased);

        var options = Options("rep2-rank0", 1.0, optimizer);
        using var sharded = new TrainingSession(options, data.SamplesPerClass(), data.Shape, CPU, ClassShard.For(Counts.Length, 0, 2));
        var refused = Assert.Throws<InvalidOperationException>(() => sharded.Resume(80));
        Assert.Contains("replicated", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Training:Distributed:Classifier", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_CheckpointOfAnotherStep_IsRefusedNamingTheDirectory()
    {
        set_num_threads(1);
        using var data = SyntheticData.LongTailed(Counts, seed: 8);
        var (_, checkpoints) = TrainPhase(data, 1.0, OptimizerKind.Sgd, "two", worldSize: 2, resumeFrom: null, resumeStep: 0, stopAt: 3);
        var options = Options("one", 1.0, OptimizerKind.Sgd);
        using var session = new TrainingSession(options, data.SamplesPerClass(), data.Shape, CPU);

        var e = Assert.Throws<InvalidOperationException>(() => ReshardedCheckpoint.Restore(session, checkpoints, step: 4));

        Assert.Contains(checkpoints[0], e.Message, StringComparison.Ordinal);
        Assert.Contains("step 3", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Adam runs are compared in relative norm (see <see cref="EquivalentRuns.AssertEqualInNorm"/>): over 250 steps two
    /// summation orders leave a few near-dead conv weights a learning-rate step apart, which max |difference| reports
    /// at up to 7e-3 of the largest weight while the tensors' norms agree within about 1e-4.
    /// </summary>
    private const double AdamNormTolerance = 1e-3;

    private static void AssertEquivalent(OptimizerKind optimizer, RunResult single, RunResult phased)
    {
        if (optimizer == OptimizerKind.Adam)
        {
            EquivalentRuns.AssertEqualInNorm(single, [phased], 1e-4, AdamNormTolerance);
        }
        else
        {
            EquivalentRuns.AssertEqual(single, [phased], 1e-4);
        }
    }

    /// <summary>Zeroes every parameter's optimizer moments and step count, as a resume that lost the optimizer state would start.</summary>
    private static void ForgetOptimizerState(TrainingSession session)
    {
        foreach (var state in session.Optimizer.state_dict().State)
        {
            var zeroed = ParameterOptimizerState.Tensors(state).Select(t => t is null ? null : zeros_like(t).DetachFromDisposeScope()).ToArray();
            ParameterOptimizerState.Assign(state, zeroed, stepCount: 0);
        }
    }

    private RunResult TrainSingle(ImageSet data, double sampleRate, OptimizerKind optimizer)
    {
        var options = Options("single", sampleRate, optimizer);
        var plan = new EpochPlan(options.Seed, data.Count, options.BatchSize);
        using var session = new TrainingSession(options, data.SamplesPerClass(), data.Shape, CPU);
        var recorder = new LossRecorder();
        new Trainer(session, new LocalStep(session, new ImageSetBatches(data, plan), plan), [new CentreRefreshHook(), recorder]).Run();
        return RunResult.Of(0, session, recorder);
    }

    /// <summary>Trains <paramref name="worldSize"/> in-process ranks until step <paramref name="stopAt"/> (all ranks stop together) and checkpoints them.</summary>
    private (double[] Losses, string[] Checkpoints) TrainPhase(ImageSet data, double sampleRate, OptimizerKind optimizer, string name, int worldSize,
        IReadOnlyList<string>? resumeFrom, long resumeStep, long stopAt, ClassifierPlacement placement = ClassifierPlacement.Sharded, Action<TrainingSession>? afterRestore = null)
    {
        var directories = new string[worldSize];
        var results = EquivalentRuns.OnRanks(worldSize, (collectives, rank) =>
        {
            var options = Options($"{name}-rank{rank}", sampleRate, optimizer);
            var plan = new EpochPlan(options.Seed, data.Count, options.BatchSize);
            using var session = new TrainingSession(options, data.SamplesPerClass(), data.Shape, CPU, ClassShard.For(Counts.Length, rank, worldSize),
                placement: placement);
            if (resumeFrom is not null)
            {
                ReshardedCheckpoint.Restore(session, resumeFrom, resumeStep);
                afterRestore?.Invoke(session);
            }
            var recorder = new LossRecorder();
            using var stop = new CancellationTokenSource();
            var batches = new ImageSetBatches(data, plan, rank, worldSize);
            IStepRunner step = session.Shard.IsReplicated
                ? new ReplicatedClassifierStep(session, batches, plan, collectives)
                : new DataParallelStep(session, batches, plan, collectives);
            new Trainer(session, step, [new CentreRefreshHook(), recorder, new StopAfter(stopAt, stop)]).Run(stop.Token);
            Assert.Equal(stopAt, session.Step);
            directories[rank] = session.SaveCheckpoint();
            return RunResult.Of(rank, session, recorder);
        });
        return (results[0].Losses, directories);
    }

    /// <summary>One rank (a <c>leap launch --workers 1</c> job: the data-parallel step on a group of one) from step 200 to the end.</summary>
    private RunResult TrainLastPhase(ImageSet data, double sampleRate, OptimizerKind optimizer, IReadOnlyList<string> resumeFrom) =>
        EquivalentRuns.OnRanks(1, (collectives, rank) =>
        {
            var options = Options("one", sampleRate, optimizer);
            var plan = new EpochPlan(options.Seed, data.Count, options.BatchSize);
            using var session = new TrainingSession(options, data.SamplesPerClass(), data.Shape, CPU, ClassShard.For(Counts.Length, 0, 1));
            ReshardedCheckpoint.Restore(session, resumeFrom, 200);
            var recorder = new LossRecorder();
            new Trainer(session, new DataParallelStep(session, new ImageSetBatches(data, plan, 0, 1), plan, collectives), [new CentreRefreshHook(), recorder]).Run();
            return RunResult.Of(rank, session, recorder);
        })[0];

    /// <summary>Asks the trainer to stop so that the last step run is <c>stopAt</c> (a collective runner stops every rank after the same step).</summary>
    private sealed class StopAfter(long stopAt, CancellationTokenSource stop) : ITrainingHook
    {
        public void AfterStep(TrainingSession session, StepOutcome outcome)
        {
            if (session.Step >= stopAt - 1)
            {
                stop.Cancel();
            }
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
