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
/// The main job's data path end to end: a .rec packed from an identity folder, streamed by each rank's prefetching
/// loader (its slice only), trained with the data-parallel step on 2 ranks, equals one process streaming the whole
/// batch — losses, backbone and classifier within 1e-4, for a model without batch statistics, with LEAP clouds, the
/// decode-path augmentations (random resized crop, colour jitter) and the batch ones (flip, pad-crop) on.
/// </summary>
public sealed class RecordIoEquivalenceTests : IDisposable
{
    private const int Steps = 16;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-receq-" + Guid.NewGuid().ToString("N"));
    private readonly string _rec;

    public RecordIoEquivalenceTests() => _rec = RecFixture.Packed(_root, classes: 10, maxImages: 30, minImages: 4);

    private TrainingOptions Options(string name) => new()
    {
        Seed = 7,
        BatchSize = 16,
        Steps = Steps,
        OutputDirectory = Path.Combine(_root, name),
        Data = { Format = DataFormat.RecordIo, Path = _rec, HeadClasses = 3, SamplesPerTailClass = 4, HoldOutPerClass = 1, DecodeThreads = 2 },
        Model = { EmbeddingDimension = 16, BatchNorm = false },
        Loss = { Scale = 16, MarginValue = 0.2 },
        Leap = { Variant = LeapVariant.Full, HeadThreshold = 20, RefreshInterval = 1, CloudStartIteration = 2 },
        Augmentation = { HorizontalFlip = true, PadCrop = 2, RandomResizedCrop = 0.5, ColourJitter = 0.3 },
        Optimizer = { LearningRate = 0.05 },
        Schedule = { Kind = ScheduleKind.Constant, WarmupSteps = 0 },
        Checkpoint = { EverySteps = 0 },
    };

    [Fact]
    public void Run_TwoRanksFromRec_EqualsSingleProcessRun()
    {
        set_num_threads(1);
        var single = TrainSingle();
        var ranks = TrainDistributed(2);

        Assert.Contains(single.CloudSamples, c => c > 0);
        EquivalentRuns.AssertEqual(single, ranks, 1e-4);
    }

    private RunResult TrainSingle()
    {
        var options = Options("single");
        using var data = RunData.Open(options);
        using var session = new TrainingSession(options, data.Train.SamplesPerClass(), data.Shape, CPU);
        var recorder = new LossRecorder();
        var plan = data.Plan();
        using var batches = data.Batches(plan);
        new Trainer(session, new LocalStep(session, batches, plan), [new CentreRefreshHook(), recorder]).Run();
        return RunResult.Of(0, session, recorder);
    }

    private RunResult[] TrainDistributed(int worldSize) => EquivalentRuns.OnRanks(worldSize, (collectives, rank) =>
    {
        var options = Options($"rank{rank}");
        using var data = RunData.Open(options);
        var shard = ClassShard.For(data.Manifest.Classes.Count, rank, worldSize);
        using var session = new TrainingSession(options, data.Train.SamplesPerClass(), data.Shape, CPU, shard);
        var recorder = new LossRecorder();
        var plan = data.Plan();
        using var batches = data.Batches(plan, rank, worldSize);
        new Trainer(session, new DataParallelStep(session, batches, plan, collectives), [new CentreRefreshHook(), recorder]).Run();
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
