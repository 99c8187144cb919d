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

    private TrainingOptions Options(string name) => new()
    {
        Seed = 11,
        BatchSize = 24,
        Steps = Steps,
        OutputDirectory = Path.Combine(_root, name),
        Model = { EmbeddingDimension = 16, BatchNorm = false },
        Loss = { Scale = 16, MarginValue = 0.2 },
        Leap = { Variant = LeapVariant.Full, HeadThreshold = 20, RefreshInterval = 1, CloudStartIteration = 2 },
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

        for (int s = 0; s < Steps; s++)
        {
            foreach (var rank in ranks)
            {
                AssertClose(single.Losses[s], rank.Losses[s], 1e-4, $"loss of step {s + 1} on rank {rank.Rank}");
            }
        }
        Assert.Contains(single.CloudSamples, c => c > 0);
        foreach (var rank in ranks)
        {
            for (int p = 0; p < single.Backbone.Length; p++)
            {
                AssertClose(single.Backbone[p], rank.Backbone[p], 1e-4, $"backbone parameter {p} on rank {rank.Rank}");
            }
        }
        var classifier = ranks.SelectMany(r => r.Classifier).ToArray();
        AssertClose(single.Classifier, classifier, 1e-4, "classifier rows gathered from the shards");
    }

    private sealed record RunResult(int Rank, double[] Losses, int[] CloudSamples, float[][] Backbone, float[] Classifier);

    private RunResult TrainSingle(ImageSet data)
    {
        var options = Options("single");
        using var session = new TrainingSession(options, data.SamplesPerClass(), data.Channels, CPU);
        var recorder = new LossRecorder();
        new Trainer(session, new LocalStep(session, new ImageSetBatches(data, new EpochPlan(options.Seed, data.Count, options.BatchSize)), new EpochPlan(options.Seed, data.Count, options.BatchSize)),
            [new CentreRefreshHook(), recorder]).Run();
        return Result(0, session, recorder);
    }

    private RunResult[] TrainDistributed(ImageSet data, int worldSize)
    {
        var group = InProcessCollectives.Create(worldSize);
        var tasks = group.Select((collectives, rank) => Task.Factory.StartNew(() =>
        {
            var options = Options($"rank{rank}");
            var shard = ClassShard.For(Counts.Length, rank, worldSize);
            using var session = new TrainingSession(options, data.SamplesPerClass(), data.Channels, CPU, shard);
            var recorder = new LossRecorder();
            var step = new DataParallelStep(session, new ImageSetBatches(data, new EpochPlan(options.Seed, data.Count, options.BatchSize), collectives.Rank, collectives.WorldSize), new EpochPlan(options.Seed, data.Count, options.BatchSize), collectives);
            new Trainer(session, step, [new CentreRefreshHook(), recorder]).Run();
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

    private static void AssertClose(double expected, double actual, double relative, string what) =>
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(Math.Abs(expected), 1e-6),
            $"{what}: expected {expected}, got {actual}");

    private static void AssertClose(float[] expected, float[] actual, double relative, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(v => Math.Abs((double)v));
        double worst = expected.Zip(actual, (e, a) => Math.Abs((double)e - a)).Max();
        Assert.True(worst <= relative * scale, $"{what}: max |difference| {worst} exceeds {relative} x max |value| {scale}");
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
