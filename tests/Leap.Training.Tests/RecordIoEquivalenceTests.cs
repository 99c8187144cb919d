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
        foreach (var rank in ranks)
        {
            for (int s = 0; s < Steps; s++)
            {
                Assert.True(Math.Abs(single.Losses[s] - rank.Losses[s]) <= 1e-4 * Math.Max(Math.Abs(single.Losses[s]), 1e-6),
                    $"loss of step {s + 1} on rank {rank.Rank}: {single.Losses[s]} vs {rank.Losses[s]}");
            }

            for (int p = 0; p < single.Backbone.Length; p++)
            {
                AssertClose(single.Backbone[p], rank.Backbone[p], $"backbone parameter {p} on rank {rank.Rank}");
            }
        }

        AssertClose(single.Classifier, ranks.SelectMany(r => r.Classifier).ToArray(), "classifier rows gathered from the shards");
    }

    private sealed record RunResult(int Rank, double[] Losses, int[] CloudSamples, float[][] Backbone, float[] Classifier);

    private RunResult TrainSingle()
    {
        var options = Options("single");
        using var data = RunData.Open(options);
        using var session = new TrainingSession(options, data.Train.SamplesPerClass(), data.Channels, CPU);
        var recorder = new LossRecorder();
        var plan = data.Plan();
        using var batches = data.Batches(plan);
        new Trainer(session, new LocalStep(session, batches, plan), [new CentreRefreshHook(), recorder]).Run();
        return Result(0, session, recorder);
    }

    private RunResult[] TrainDistributed(int worldSize)
    {
        var group = InProcessCollectives.Create(worldSize);
        var tasks = group.Select((collectives, rank) => Task.Factory.StartNew(() =>
        {
            var options = Options($"rank{rank}");
            using var data = RunData.Open(options);
            var shard = ClassShard.For(data.Manifest.Classes.Count, rank, worldSize);
            using var session = new TrainingSession(options, data.Train.SamplesPerClass(), data.Channels, CPU, shard);
            var recorder = new LossRecorder();
            var plan = data.Plan();
            using var batches = data.Batches(plan, rank, worldSize);
            new Trainer(session, new DataParallelStep(session, batches, plan, collectives), [new CentreRefreshHook(), recorder]).Run();
            return Result(rank, session, recorder);
        }, TaskCreationOptions.LongRunning)).ToArray();
        Assert.True(Task.WaitAll(tasks, TimeSpan.FromMinutes(3)), $"{worldSize} ranks did not finish {Steps} steps within 3 minutes");
        foreach (var c in group)
        {
            c.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
        }

        return tasks.Select(t => t.Result).ToArray();
    }

    private static RunResult Result(int rank, TrainingSession session, LossRecorder recorder) => new(
        rank,
        recorder.Losses.ToArray(),
        recorder.CloudSamples.ToArray(),
        session.Network.parameters().Select(p => p.detach().cpu().contiguous().data<float>().ToArray()).ToArray(),
        session.Classifier.Weight.detach().cpu().contiguous().data<float>().ToArray());

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(v => Math.Abs((double)v));
        double worst = expected.Zip(actual, (e, a) => Math.Abs((double)e - a)).Max();
        Assert.True(worst <= 1e-4 * scale, $"{what}: max |difference| {worst} exceeds 1e-4 x max |value| {scale}");
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
