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

    private static ImageSet Poisoned(ImageSet clean) => ParameterSnapshot.WithNaNPixel(clean, Counts.Length);

    private static Dictionary<string, Tensor> Snapshot(TrainingSession session) => ParameterSnapshot.Of(session);
}
