using Leap.Collectives;
using Leap.Core.Statistics;
using Leap.Training.Configuration;
using Leap.Training.Data;
using Leap.Training.Distributed;
using Leap.Training.Engine;
using Leap.Training.Hooks;
using static TorchSharp.torch;

namespace Leap.Training.Tests.Distributed;

/// <summary>
/// The replicated-classifier step's agreements across ranks (one fused all-reduce decides them): a non-finite loss on
/// one rank skips the step on every rank, a stop asked of one rank ends every rank after the same step, and the
/// placement rule, the session and the validator choose and refuse placements as documented.
/// </summary>
public sealed class ReplicatedClassifierStepTests : IDisposable
{
    private static readonly int[] Counts = [20, 20, 4, 4];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-replicated-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private TrainingOptions Options(string name, long steps) => new()
    {
        Seed = 5,
        BatchSize = 8,
        Steps = steps,
        MaxNonFiniteSteps = 10,
        OutputDirectory = Path.Combine(_root, name),
        Model = { EmbeddingDimension = 8, BatchNorm = false },
        Leap = { Variant = LeapVariant.Full, HeadThreshold = 10 },
        Schedule = { Kind = ScheduleKind.Constant, WarmupSteps = 0 },
        Checkpoint = { EverySteps = 0 },
    };

    [Fact]
    public void Run_NaNLossOnOneRankOnly_SkipsTheStepOnEveryRankWithoutChangingWeights()
    {
        set_num_threads(1);
        using var clean = SyntheticData.LongTailed(Counts, seed: 5);
        using var poisoned = Poisoned(clean);
        var outcomes = EquivalentRuns.OnRanks(2, (collectives, rank) =>
        {
            var data = rank == 1 ? poisoned : clean;
            var options = Options($"nan-rank{rank}", steps: 3);
            using var session = new TrainingSession(options, data.SamplesPerClass(), data.Shape, CPU, ClassShard.For(Counts.Length, rank, 2),
                placement: ClassifierPlacement.Replicated);
            var before = Snapshot(session);
            var plan = new EpochPlan(options.Seed, data.Count, options.BatchSize);
            var recorder = new LossRecorder();
            new Trainer(session, new ReplicatedClassifierStep(session, new ImageSetBatches(data, plan, rank, 2), plan, collectives), [new CentreRefreshHook(), recorder]).Run();

            Assert.Equal(3, session.NonFiniteSteps);
            Assert.All(recorder.Losses, l => Assert.True(double.IsNaN(l)));
            Assert.All(Snapshot(session), p => Assert.True(p.Value.eq(before[p.Key]).all().item<bool>(), $"rank {rank}: parameter {p.Key} changed"));
            return RunResult.Of(rank, session, recorder);
        });
        Assert.Equal(2, outcomes.Length);
    }

    [Fact]
    public void Run_StopAskedOfOneRank_EveryRankEndsAfterTheSameStep()
    {
        set_num_threads(1);
        using var data = SyntheticData.LongTailed(Counts, seed: 5);
        var steps = new long[2];
        EquivalentRuns.OnRanks(2, (collectives, rank) =>
        {
            var options = Options($"stop-rank{rank}", steps: 50);
            using var session = new TrainingSession(options, data.SamplesPerClass(), data.Shape, CPU, ClassShard.For(Counts.Length, rank, 2),
                placement: ClassifierPlacement.Replicated);
            var plan = new EpochPlan(options.Seed, data.Count, options.BatchSize);
            var recorder = new LossRecorder();
            using var stop = new CancellationTokenSource();
            if (rank == 1)
            {
                stop.Cancel();
            }
            new Trainer(session, new ReplicatedClassifierStep(session, new ImageSetBatches(data, plan, rank, 2), plan, collectives), [new CentreRefreshHook(), recorder]).Run(stop.Token);
            steps[rank] = session.Step;
            return RunResult.Of(rank, session, recorder);
        });

        Assert.Equal([1L, 1L], steps);
    }

    [Fact]
    public void Constructor_ShardedSession_IsRefused()
    {
        using var data = SyntheticData.LongTailed(Counts, seed: 5);
        var options = Options("sharded", steps: 1);
        using var session = new TrainingSession(options, data.SamplesPerClass(), data.Shape, CPU, ClassShard.For(Counts.Length, 0, 2));
        var plan = new EpochPlan(options.Seed, data.Count, options.BatchSize);
        var group = InProcessCollectives.Create(2);

        var error = Assert.Throws<ArgumentException>(() => new ReplicatedClassifierStep(session, new ImageSetBatches(data, plan, 0, 2), plan, group[0]));

        Assert.Contains("ClassShard.Replicated", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ClassifierPlacement.Auto, 10, 64, 100_000, 1.0, false, ClassifierPlacement.Replicated)]
    [InlineData(ClassifierPlacement.Auto, 730, 512, 11_200_000, 1.0, false, ClassifierPlacement.Replicated)]
    [InlineData(ClassifierPlacement.Auto, 85_000, 512, 11_200_000, 1.0, false, ClassifierPlacement.Sharded)]
    [InlineData(ClassifierPlacement.Auto, 10, 64, 100_000, 0.5, false, ClassifierPlacement.Sharded)]
    [InlineData(ClassifierPlacement.Auto, 10, 64, 100_000, 1.0, true, ClassifierPlacement.Sharded)]
    [InlineData(ClassifierPlacement.Sharded, 10, 64, 100_000, 1.0, false, ClassifierPlacement.Sharded)]
    [InlineData(ClassifierPlacement.Replicated, 85_000, 512, 11_200_000, 1.0, false, ClassifierPlacement.Replicated)]
    public void Resolve_FollowsTheSettingElseTheSizeRule(ClassifierPlacement requested, long classes, long dimension, long backbone, double sampleRate,
        bool overlap, ClassifierPlacement expected)
    {
        Assert.Equal(expected, ClassifierPlacementRule.Resolve(requested, 2, classes, dimension, backbone, sampleRate, overlap));
        Assert.Equal(ClassifierPlacement.Sharded, ClassifierPlacementRule.Resolve(requested, 1, classes, dimension, backbone, sampleRate, overlap));
    }

    [Fact]
    public void Session_AutoPlacementOnSeveralRanks_HoldsEveryClassAndSaysSoInItsCheckpoint()
    {
        using var data = SyntheticData.LongTailed(Counts, seed: 5);
        var options = Options("auto", steps: 1);
        using var session = new TrainingSession(options, data.SamplesPerClass(), data.Shape, CPU, ClassShard.For(Counts.Length, 1, 2), placement: ClassifierPlacement.Auto);

        Assert.True(session.Shard.IsReplicated);
        Assert.Equal(new ClassShard(0, Counts.Length, 1, 2, Counts.Length), session.Shard);
        Assert.Equal(Counts.Length, (int)session.Classifier.Weight.shape[0]);
        string directory = session.SaveCheckpoint();
        Assert.True(Checkpoints.CheckpointStore.ReadMeta(directory)!.ReplicatedClassifier);
        Assert.Contains("rank-1-of-2", directory, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ReplicatedWithPartialFcOrOverlap_FailsNamingTheKeys()
    {
        var partial = new TrainingOptions { Distributed = { Classifier = ClassifierPlacement.Replicated }, Loss = { SampleRate = 0.5 } };
        var overlap = new TrainingOptions { Distributed = { Classifier = ClassifierPlacement.Replicated, OverlapGradients = true } };

        Assert.Contains(TrainingOptionsValidator.Validate(partial), e => e.Contains("Training:Distributed:Classifier = Replicated", StringComparison.Ordinal)
            && e.Contains("Training:Loss:SampleRate", StringComparison.Ordinal));
        Assert.Contains(TrainingOptionsValidator.Validate(overlap), e => e.Contains("Training:Distributed:Classifier = Replicated", StringComparison.Ordinal)
            && e.Contains("Training:Distributed:OverlapGradients", StringComparison.Ordinal));
        Assert.Empty(TrainingOptionsValidator.Validate(new TrainingOptions { Distributed = { Classifier = ClassifierPlacement.Auto, OverlapGradients = true }, Loss = { SampleRate = 0.5 } }));
    }

    [Fact]
    public void Load_ClassifierSetting_BindsAndAnUnknownValueNamesTheKey()
    {
        Assert.Equal(ClassifierPlacement.Auto, Runs.Configuration.TrainingConfigLoader.Load(null, []).Distributed.Classifier);
        Assert.Equal(ClassifierPlacement.Sharded, Runs.Configuration.TrainingConfigLoader.Load(null, ["Distributed:Classifier=Sharded"]).Distributed.Classifier);

        var error = Assert.Throws<Runs.Configuration.ConfigurationException>(() => Runs.Configuration.TrainingConfigLoader.Load(null, ["Distributed:Classifier=Everywhere"]));

        Assert.Contains("Training:Distributed:Classifier", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The worker's choice between a plain resume and a re-sharded one: only a checkpoint of the same world size and
    /// placement is restored as is; a checkpoint written before the placement existed reads as sharded.
    /// </summary>
    [Fact]
    public void NeedsReshard_FollowsWorldSizeAndPlacement_LegacyMetaIsSharded()
    {
        var legacy = System.Text.Json.JsonSerializer.Deserialize<Checkpoints.CheckpointMeta>(
            "{\"Step\":5,\"Seed\":1,\"ClassCount\":10,\"EmbeddingDimension\":8,\"NonFiniteSteps\":0}")!;
        var sharded = legacy with { ReplicatedClassifier = false };
        var replicated = legacy with { ReplicatedClassifier = true };
        var shard = ClassShard.For(10, 1, 2);
        var copy = ClassShard.Replicated(10, 1, 2);

        Assert.False(legacy.ReplicatedClassifier);
        Assert.False(Checkpoints.CommittedResume.NeedsReshard(2, legacy, shard));
        Assert.False(Checkpoints.CommittedResume.NeedsReshard(2, sharded, shard));
        Assert.False(Checkpoints.CommittedResume.NeedsReshard(2, replicated, copy));
        Assert.False(Checkpoints.CommittedResume.NeedsReshard(2, null, copy));
        Assert.True(Checkpoints.CommittedResume.NeedsReshard(2, legacy, copy));
        Assert.True(Checkpoints.CommittedResume.NeedsReshard(2, replicated, shard));
        Assert.True(Checkpoints.CommittedResume.NeedsReshard(3, sharded, shard));
        Assert.True(Checkpoints.CommittedResume.NeedsReshard(3, replicated, copy));
    }

    /// <summary>
    /// With batch norm (what every shipped config trains) the replicated step trains what the sharded step trains: each
    /// rank normalises its own slice either way, so the losses, the parameters and the averaged running statistics agree,
    /// and every rank's running statistics are identical.
    /// </summary>
    [Fact]
    public void Run_WithBatchNorm_ReplicatedEqualsShardedAndRanksKeepIdenticalStatistics()
    {
        set_num_threads(1);
        using var data = SyntheticData.LongTailed([20, 20, 12, 4, 4, 3], seed: 9);
        (double[] Losses, float[][] Parameters, float[][] Buffers) Train(ClassifierPlacement placement, int rank, Leap.Collectives.ICollectives collectives)
        {
            var options = Options($"bn-{placement}-rank{rank}", steps: 12);
            options.Model.BatchNorm = true;
            using var session = new TrainingSession(options, data.SamplesPerClass(), data.Shape, CPU, ClassShard.For(6, rank, 2), placement: placement);
            var plan = new EpochPlan(options.Seed, data.Count, options.BatchSize);
            var batches = new ImageSetBatches(data, plan, rank, 2);
            IStepRunner step = session.Shard.IsReplicated
                ? new ReplicatedClassifierStep(session, batches, plan, collectives)
                : new DataParallelStep(session, batches, plan, collectives);
            var recorder = new LossRecorder();
            new Trainer(session, step, [new CentreRefreshHook(), recorder]).Run();
            return (recorder.Losses.ToArray(),
                session.Network.parameters().Select(p => p.detach().contiguous().data<float>().ToArray()).ToArray(),
                session.Network.buffers().Where(b => b.is_floating_point()).Select(b => b.detach().contiguous().data<float>().ToArray()).ToArray());
        }

        var replicated = EquivalentRuns.OnRanks(2, (c, rank) => Train(ClassifierPlacement.Replicated, rank, c));
        var sharded = EquivalentRuns.OnRanks(2, (c, rank) => Train(ClassifierPlacement.Sharded, rank, c));

        Assert.NotEmpty(replicated[0].Buffers);
        Assert.Equal(replicated[0].Buffers, replicated[1].Buffers);
        for (int s = 0; s < replicated[0].Losses.Length; s++)
        {
            Assert.True(Math.Abs(replicated[0].Losses[s] - sharded[0].Losses[s]) <= 1e-4 * Math.Max(1, Math.Abs(sharded[0].Losses[s])), $"loss of step {s + 1}");
        }
        int index = 0;
        foreach (var (mine, theirs) in replicated[0].Parameters.Concat(replicated[0].Buffers).Zip(sharded[0].Parameters.Concat(sharded[0].Buffers)))
        {
            double scale = Math.Max(1e-3, theirs.Max(v => Math.Abs((double)v)));
            double worst = mine.Zip(theirs, (a, b) => Math.Abs((double)a - b)).Max();
            Assert.True(worst <= 1e-3 * scale, $"tensor {index} of {replicated[0].Parameters.Length} parameters + buffers differs between the placements: max |difference| {worst}, max |value| {scale}");
            index++;
        }
    }

    private static ImageSet Poisoned(ImageSet clean) => ParameterSnapshot.WithNaNPixel(clean, Counts.Length);

    private static Dictionary<string, Tensor> Snapshot(TrainingSession session) => ParameterSnapshot.Of(session);
}
