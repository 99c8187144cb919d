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
/// Partial FC in the distributed step: 2 ranks with sharded, sampled classifiers equal one process with the same
/// sampling (the choice of a class depends on (seed, step, class) only), LEAP alpha on; unsampled rows never move
/// before their first sample.
/// </summary>
public sealed class PartialFcEquivalenceTests : IDisposable
{
    private const int Steps = 12;
    // 15 classes per shard: at rate 0.5 a shard without any sampled column (the one case that depends on the sharding)
    // has probability below 1e-4 per step.
    private static readonly int[] Counts = [60, 50, 40, 30, 5, 4, 4, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-pfc-" + Guid.NewGuid().ToString("N"));

    private TrainingOptions Options(string name) => new()
    {
        Seed = 13,
        BatchSize = 12,
        Steps = Steps,
        OutputDirectory = Path.Combine(_root, name),
        Model = { EmbeddingDimension = 16, BatchNorm = false },
        Loss = { Scale = 16, MarginValue = 0.2, SampleRate = 0.5 },
        Leap = { Variant = LeapVariant.Full, HeadThreshold = 20, RefreshInterval = 1, CloudStartIteration = 2 },
        Optimizer = { LearningRate = 0.05 },
        Schedule = { Kind = ScheduleKind.Constant, WarmupSteps = 0 },
        Checkpoint = { EverySteps = 0 },
    };

    [Fact]
    public void Run_PartialFcTwoRanks_EqualsSingleProcessWithSameSampling()
    {
        set_num_threads(1);
        using var data = SyntheticData.LongTailed(Counts, seed: 6);
        var (singleLosses, singleClassifier) = TrainSingle(data);
        var ranks = TrainTwoRanks(data);

        for (int s = 0; s < Steps; s++)
        {
            foreach (var (losses, _) in ranks)
            {
                Assert.True(Math.Abs(singleLosses[s] - losses[s]) <= 1e-4 * Math.Abs(singleLosses[s]), $"loss of step {s + 1}: expected {singleLosses[s]}, got {losses[s]}");
            }
        }
        var gathered = ranks.SelectMany(r => r.Classifier).ToArray();
        double worst = singleClassifier.Zip(gathered, (a, b) => Math.Abs((double)a - b)).Max();
        Assert.True(worst <= 1e-4 * singleClassifier.Max(v => Math.Abs((double)v)), $"classifier rows differ by up to {worst}");
    }

    [Fact]
    public void Run_PartialFc_RowsNeverSampledKeepTheirInitialWeights()
    {
        set_num_threads(1);
        using var data = SyntheticData.LongTailed(Counts, seed: 6);
        var options = Options("single-1");
        options.Steps = 1;
        options.Loss.SampleRate = 0.05;
        using var session = new TrainingSession(options, data.SamplesPerClass(), data.Shape, CPU);
        var initial = session.Classifier.Weight.detach().clone();
        var plan = new EpochPlan(options.Seed, data.Count, options.BatchSize);
        var batchLabels = plan.Batch(0).ToArray().Select(i => data.Labels[(int)i]).ToArray();
        long[] sampled = session.PartialFc!.Sampler.Rows(batchLabels, session.Shard, 0);
        new Trainer(session, new LocalStep(session, new ImageSetBatches(data, plan), plan), []).Run();

        for (int row = 0; row < Counts.Length; row++)
        {
            bool same = session.Classifier.Weight.detach()[row].allclose(initial[row], 0, 0);
            Assert.True(same != sampled.Contains(row), $"row {row}: sampled {sampled.Contains(row)}, unchanged {same}");
        }
        Assert.All(batchLabels, l => Assert.Contains(l, sampled));
    }

    private (double[] Losses, float[] Classifier)[] TrainTwoRanks(ImageSet data)
    {
        var group = InProcessCollectives.Create(2);
        var tasks = group.Select((collectives, rank) => Task.Factory.StartNew(() =>
        {
            var options = Options($"rank{rank}");
            using var session = new TrainingSession(options, data.SamplesPerClass(), data.Shape, CPU, ClassShard.For(Counts.Length, rank, 2));
            var recorder = new LossRecorder();
            new Trainer(session, new DataParallelStep(session, new ImageSetBatches(data, new EpochPlan(options.Seed, data.Count, options.BatchSize), collectives.Rank, collectives.WorldSize), new EpochPlan(options.Seed, data.Count, options.BatchSize), collectives),
                [new CentreRefreshHook(), recorder]).Run();
            return (recorder.Losses.ToArray(), Values(session.Classifier.Weight));
        }, TaskCreationOptions.LongRunning)).ToArray();
        Assert.True(Task.WaitAll(tasks, TimeSpan.FromMinutes(3)), $"2 ranks did not finish {Steps} steps within 3 minutes");
        foreach (var c in group)
        {
            c.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
        }

        return tasks.Select(t => t.Result).ToArray();
    }

    private (double[] Losses, float[] Classifier) TrainSingle(ImageSet data)
    {
        var options = Options("single");
        using var session = new TrainingSession(options, data.SamplesPerClass(), data.Shape, CPU);
        var recorder = new LossRecorder();
        new Trainer(session, new LocalStep(session, new ImageSetBatches(data, new EpochPlan(options.Seed, data.Count, options.BatchSize)), new EpochPlan(options.Seed, data.Count, options.BatchSize)), [new CentreRefreshHook(), recorder]).Run();
        Assert.Contains(recorder.CloudSamples, c => c > 0);
        return (recorder.Losses.ToArray(), Values(session.Classifier.Weight));
    }

    private static float[] Values(Tensor t) => t.detach().cpu().contiguous().data<float>().ToArray();

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
