using Leap.Collectives;
using Leap.Core.Statistics;
using Leap.Training.Configuration;
using Leap.Training.Data;
using Leap.Training.Distributed;
using Leap.Training.Engine;
using Leap.Training.Hooks;
using static TorchSharp.torch;

namespace Leap.Training.Tests;

/// <summary>
/// The distributed step (all-gather, sharded classifier, distributed softmax, gradient all-reduce) on N ranks must
/// equal the single-process step with the same global batch, for a model without batch statistics, LEAP alpha and
/// flip / pad-crop augmentation on.
/// </summary>
public sealed class DataParallelEquivalenceTests : IDisposable
{
    private const int Steps = 20;
    private static readonly int[] Counts = [60, 50, 40, 30, 5, 4, 4, 3, 3, 2, 2];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-dp-" + Guid.NewGuid().ToString("N"));

    private int _refreshInterval = 1;
    private int _refreshLag;
    private ClassifierPlacement _placement = ClassifierPlacement.Sharded;

    private TrainingOptions Options(string name) => new()
    {
        Seed = 11,
        BatchSize = 24,
        Steps = Steps,
        OutputDirectory = Path.Combine(_root, name),
        Model = { EmbeddingDimension = 16, BatchNorm = false },
        Loss = { Scale = 16, MarginValue = 0.2 },
        Leap = { Variant = LeapVariant.Full, HeadThreshold = 20, RefreshInterval = _refreshInterval, RefreshLag = _refreshLag, CloudStartIteration = 2 },
        Augmentation = { HorizontalFlip = true, PadCrop = 2 },
        Optimizer = { LearningRate = 0.05 },
        Schedule = { Kind = ScheduleKind.Constant, WarmupSteps = 0 },
        Checkpoint = { EverySteps = 0 },
    };

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Run_NRanks_EqualsSingleProcessRun(int worldSize)
    {
        set_num_threads(1);
        using var data = SyntheticData.LongTailed(Counts, seed: 5);
        var single = TrainSingle(data);
        var ranks = TrainDistributed(data, worldSize);

        Assert.Contains(single.CloudSamples, c => c > 0);
        EquivalentRuns.AssertEqual(single, ranks, 1e-4);
    }

    /// <summary>
    /// The replicated classifier (one fused all-reduce of every gradient, the padded global batch, loss and stop flag)
    /// trains the same model as one process: the same losses and cloud draws, and every rank's full classifier equals
    /// the single process's.
    /// </summary>
    [Theory]
    [InlineData(2, 1, 0)]
    [InlineData(3, 3, 1)]
    public void Run_NRanksWithReplicatedClassifier_EqualsSingleProcessRun(int worldSize, int interval, int lag)
    {
        _placement = ClassifierPlacement.Replicated;
        _refreshInterval = interval;
        _refreshLag = lag;
        set_num_threads(1);
        using var data = SyntheticData.LongTailed(Counts, seed: 5);
        var single = TrainSingle(data);
        var ranks = TrainDistributed(data, worldSize);

        Assert.Contains(single.CloudSamples, c => c > 0);
        foreach (var rank in ranks)
        {
            Assert.Equal(single.CloudSamples, rank.CloudSamples);
            EquivalentRuns.AssertEqual(single, [rank], 1e-4);
        }
    }

    /// <summary>Lag 1: every rank and the single process use the statistics of the interval before last.</summary>
    [Theory]
    [InlineData(2, 1, 1)]
    [InlineData(3, 3, 1)]
    public void Run_NRanksWithRefreshIntervalAndLag_EqualsSingleProcessRun(int worldSize, int interval, int lag)
    {
        _refreshInterval = interval;
        _refreshLag = lag;
        set_num_threads(1);
        using var data = SyntheticData.LongTailed(Counts, seed: 5);
        var single = TrainSingle(data);
        var ranks = TrainDistributed(data, worldSize);

        Assert.Contains(single.CloudSamples, c => c > 0);
        EquivalentRuns.AssertEqual(single, ranks, 1e-4);
    }

    private RunResult TrainSingle(ImageSet data)
    {
        var options = Options("single");
        using var session = new TrainingSession(options, data.SamplesPerClass(), data.Shape, CPU);
        var recorder = new LossRecorder();
        new Trainer(session, new LocalStep(session, new ImageSetBatches(data, new EpochPlan(options.Seed, data.Count, options.BatchSize)), new EpochPlan(options.Seed, data.Count, options.BatchSize)),
            [new CentreRefreshHook(), recorder]).Run();
        return RunResult.Of(0, session, recorder);
    }

    private RunResult[] TrainDistributed(ImageSet data, int worldSize) => EquivalentRuns.OnRanks(worldSize, (collectives, rank) =>
    {
        var options = Options($"rank{rank}");
        var shard = ClassShard.For(Counts.Length, rank, worldSize);
        using var session = new TrainingSession(options, data.SamplesPerClass(), data.Shape, CPU, shard, placement: _placement);
        Assert.Equal(_placement == ClassifierPlacement.Replicated, session.Shard.IsReplicated);
        var recorder = new LossRecorder();
        var plan = new EpochPlan(options.Seed, data.Count, options.BatchSize);
        var batches = new ImageSetBatches(data, plan, rank, worldSize);
        IStepRunner step = session.Shard.IsReplicated
            ? new ReplicatedClassifierStep(session, batches, plan, collectives)
            : new DataParallelStep(session, batches, plan, collectives);
        new Trainer(session, step, [new CentreRefreshHook(), recorder]).Run();
        return RunResult.Of(rank, session, recorder);
    });

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
