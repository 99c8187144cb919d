using Leap.Training.Configuration;
using Leap.Training.Data;
using Leap.Training.Distributed;
using Leap.Training.Engine;
using Leap.Training.Hooks;
using Leap.Training.Modeling;
using static TorchSharp.torch;

namespace Leap.Training.Tests;

/// <summary>
/// The data-parallel step with the gradient all-reduce overlapped with a staged backward
/// (Training:Distributed:OverlapGradients = true) trains exactly as the step that all-reduces after one backward: the
/// same losses, backbone (including batch-norm running statistics, averaged in dF's all-reduce) and classifier.
/// </summary>
public sealed class OverlappedGradientEquivalenceTests : IDisposable
{
    private const int Steps = 3;
    private const int Classes = 6;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-overlap-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData(BackboneKind.SmallCnn, 12)]
    [InlineData(BackboneKind.ResNet18, 32)]
    public void Run_TwoRanks_OverlappedEqualsAllReduceAfterBackward(BackboneKind backbone, int size)
    {
        set_num_threads(1);
        using var data = Images(size);
        var after = Train(data, backbone, overlap: false);
        var overlapped = Train(data, backbone, overlap: true);

        for (int r = 0; r < after.Length; r++)
        {
            Assert.Equal(Steps, overlapped[r].Run.Losses.Length);
            EquivalentRuns.AssertEqual(after[r].Run, [overlapped[r].Run], 1e-6);
            Assert.NotEmpty(overlapped[r].Buffers);
            Assert.Equal(after[r].Buffers, overlapped[r].Buffers, (a, b) => Math.Abs(a - b) <= 1e-6 * Math.Max(1, Math.Abs(a)));
        }
        Assert.Equal(overlapped[0].Buffers, overlapped[1].Buffers);
    }

    [Fact]
    public void Run_OverlappedSteps_LeaveNoTensorsAlive()
    {
        set_num_threads(1);
        using var data = Images(12);
        var growth = new long[2];
        EquivalentRuns.OnRanks(2, (collectives, rank) =>
        {
            var options = new TrainingOptions
            {
                BatchSize = 8,
                OutputDirectory = Path.Combine(_root, $"alive-{rank}"),
                Model = { EmbeddingDimension = 16 },
                Leap = { Variant = Core.Statistics.LeapVariant.None },
                Checkpoint = { EverySteps = 0 },
                Distributed = { OverlapGradients = true },
            };
            using var session = new TrainingSession(options, data.SamplesPerClass(), data.Shape, CPU, ClassShard.For(Classes, rank, 2));
            var plan = new EpochPlan(options.Seed, data.Count, options.BatchSize);
            var step = new DataParallelStep(session, new ImageSetBatches(data, plan, rank, 2), plan, collectives);
            long alive = 0;
            for (int s = 0; s < 6; s++)
            {
                var outcome = step.Run(session.Step++);
                outcome.Embeddings.Dispose();
                outcome.Labels.Dispose();
                if (s == 1)
                {
                    alive = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
                }
            }
            growth[rank] = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount - alive;
            return RunResult.Of(rank, session, new LossRecorder());
        });

        Assert.Equal([0L, 0L], growth);
    }

    private static ImageSet Images(int size)
    {
        var generator = new Generator(9);
        var labels = Enumerable.Range(0, 48).Select(i => (long)(i % Classes)).ToArray();
        var images = randn([labels.Length, 1, size, size], generator: generator);
        generator.Dispose();
        return new ImageSet(images, labels, Enumerable.Range(0, labels.Length).Select(i => (long)i).ToArray(), Classes);
    }

    private (RunResult Run, float[] Buffers)[] Train(ImageSet data, BackboneKind backbone, bool overlap)
    {
        var buffers = new float[2][];
        var runs = EquivalentRuns.OnRanks(2, (collectives, rank) =>
        {
            var options = new TrainingOptions
            {
                Seed = 4,
                BatchSize = 8,
                Steps = Steps,
                OutputDirectory = Path.Combine(_root, $"{backbone}-{overlap}-{rank}"),
                Model = { Backbone = backbone, EmbeddingDimension = 16 },
                Leap = { CloudStartIteration = 1 },
                Schedule = { Kind = ScheduleKind.Constant, WarmupSteps = 0 },
                Checkpoint = { EverySteps = 0 },
                Distributed = { OverlapGradients = overlap },
            };
            using var session = new TrainingSession(options, data.SamplesPerClass(), data.Shape, CPU, ClassShard.For(Classes, rank, 2));
            var plan = new EpochPlan(options.Seed, data.Count, options.BatchSize);
            var recorder = new LossRecorder();
            new Trainer(session, new DataParallelStep(session, new ImageSetBatches(data, plan, rank, 2), plan, collectives), [new CentreRefreshHook(), recorder]).Run();
            buffers[rank] = [.. session.Network.buffers().Where(b => b.is_floating_point()).SelectMany(b => b.detach().cpu().contiguous().data<float>().ToArray())];
            return RunResult.Of(rank, session, recorder);
        });
        return [.. runs.Select(r => (r, buffers[r.Rank]))];
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
