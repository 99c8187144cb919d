using Leap.Collectives;
using Leap.Collectives.Ring;
using Leap.Core.Statistics;
using Leap.Training.Configuration;
using Leap.Training.Data;
using Leap.Training.Distributed;
using Leap.Training.Engine;
using static TorchSharp.torch;

namespace Leap.Benchmarks.Overlap;

/// <summary>
/// N ranks of <see cref="DataParallelStep"/> in this process, each on its own thread, over a real TCP ring on
/// 127.0.0.1 (<see cref="LoopbackRing"/>), on synthetic images; CosFace without LEAP, so the step is backbone,
/// classifier and communication. Runs alternate overlap on and off, each from a fresh model and ring.
/// </summary>
public sealed class OverlapMeasurement(OverlapBenchSettings settings, string scratch) : IDisposable
{
    private readonly ImageSet _data = Images(settings);

    public async Task<IReadOnlyList<OverlapRun>> RunAllAsync(Action<OverlapRun> finished, CancellationToken cancellation)
    {
        var runs = new List<OverlapRun>();
        for (int repeat = 0; repeat < settings.Repeats; repeat++)
        {
            foreach (bool overlap in new[] { true, false })
            {
                var run = await RunAsync(overlap, repeat, cancellation).ConfigureAwait(false);
                finished(run);
                runs.Add(run);
            }
        }
        return runs;
    }

    private async Task<OverlapRun> RunAsync(bool overlap, int repeat, CancellationToken cancellation)
    {
        var ring = await LoopbackRing.StartAsync(RingTransport.Tcp, settings.Workers, cancellation: cancellation).ConfigureAwait(false);
        try
        {
            var ranks = ring.Select((collectives, rank) => Task.Factory.StartNew(() => RunRank(collectives, rank, overlap, repeat),
                cancellation, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
            return (await Task.WhenAll(ranks).ConfigureAwait(false))[0];
        }
        finally
        {
            foreach (var collectives in ring)
            {
                await collectives.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private OverlapRun RunRank(ICollectives ring, int rank, bool overlap, int repeat)
    {
        var timed = new TimedCollectives(ring, Environment.CurrentManagedThreadId);
        var options = new TrainingOptions
        {
            Seed = 1,
            BatchSize = settings.Batch,
            Steps = long.MaxValue,
            OutputDirectory = Path.Combine(scratch, $"{(overlap ? "on" : "off")}-r{repeat}-rank{rank}"),
            Model = { Backbone = settings.Backbone, EmbeddingDimension = settings.Dimension },
            Loss = { Scale = 64, MarginValue = 0.35 },
            Leap = { Variant = LeapVariant.None },
            Schedule = { Kind = ScheduleKind.Constant, WarmupSteps = 0 },
            Checkpoint = { EverySteps = 0 },
            Distributed = { OverlapGradients = overlap },
        };
        var counts = Enumerable.Repeat(2, settings.Classes).ToArray();
        using var session = new TrainingSession(options, counts, _data.Shape, CPU, ClassShard.For(settings.Classes, rank, settings.Workers));
        var plan = new EpochPlan(options.Seed, _data.Count, options.BatchSize);
        var step = new DataParallelStep(session, new ImageSetBatches(_data, plan, rank, settings.Workers), plan, timed);
        var timings = new List<(double Step, double Blocking, double Background, double Wait)>();
        for (int s = 0; s < settings.WarmupSteps + settings.Steps; s++)
        {
            timed.Reset();
            var outcome = step.Run(session.Step);
            session.Step++;
            outcome.Embeddings.Dispose();
            outcome.Labels.Dispose();
            if (s >= settings.WarmupSteps)
            {
                timings.Add((outcome.Elapsed.TotalSeconds, timed.Blocking.TotalSeconds, timed.Background.TotalSeconds, step.LastGradientWait.TotalSeconds));
            }
        }
        return new OverlapRun(overlap, repeat, timings.Average(t => t.Step), timings.Min(t => t.Step),
            timings.Average(t => t.Blocking), timings.Average(t => t.Background), timings.Average(t => t.Wait));
    }

    private static ImageSet Images(OverlapBenchSettings settings)
    {
        using var generator = new Generator(7);
        var labels = Enumerable.Range(0, OverlapBenchSettings.DatasetImages).Select(i => (long)(i % settings.Classes)).ToArray();
        var images = randn([labels.Length, 3, settings.Image, settings.Image], generator: generator);
        return new ImageSet(images, labels, Enumerable.Range(0, labels.Length).Select(i => (long)i).ToArray(), settings.Classes);
    }

    public void Dispose() => _data.Dispose();
}
