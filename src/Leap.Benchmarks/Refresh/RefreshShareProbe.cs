using System.Diagnostics;
using Leap.CentreService;
using Leap.CentreService.Client;
using Leap.Collectives;
using Leap.Core.Statistics;
using Leap.Training.Configuration;
using Leap.Training.Data;
using Leap.Training.Distributed;
using Leap.Training.Engine;
using Leap.Training.Hooks;
using Leap.Training.Modeling;
using Leap.Worker;
using static TorchSharp.torch;

namespace Leap.Benchmarks.Refresh;

/// <summary>
/// One worker's training loop with its centres in the centre service: the real <see cref="TrainingSession"/>,
/// <see cref="LocalStep"/> and <see cref="CentreRefreshHook"/> over a <see cref="CentreServiceSink"/>, on synthetic
/// images whose labels spread over head and tail classes. Times the step and, apart, the hook (buffering, and at
/// interval ends the push / pull or, with lag 1, the wait for the one started an interval earlier).
/// </summary>
public sealed class RefreshShareProbe(RefreshShareSettings settings)
{
    public RefreshShareReport Run(CentreServiceClient client, string scratchDirectory, int lag, double? loadAverage)
    {
        ArgumentNullException.ThrowIfNull(client);
        var s = settings;
        var options = new TrainingOptions
        {
            Seed = 1,
            BatchSize = s.Batch,
            Steps = long.MaxValue,
            OutputDirectory = Path.Combine(scratchDirectory, $"lag{lag}"),
            Model = { Backbone = s.Backbone, EmbeddingDimension = s.Dimension },
            Loss = { Scale = 64, MarginValue = 0.35 },
            Leap = { Variant = LeapVariant.Full, CloudStartIteration = 0, RefreshInterval = s.RefreshInterval, RefreshLag = lag, HeadThreshold = 20 },
            Schedule = { Kind = ScheduleKind.Constant, WarmupSteps = 0 },
            Checkpoint = { EverySteps = 0 },
        };
        var counts = Enumerable.Range(0, s.Classes).Select(c => c < s.HeadClasses ? s.HeadSamples : s.TailSamples).ToArray();
        const int images = 512;
        long[] labels = Enumerable.Range(0, images).Select(i => (long)((i * 7919L) % s.Classes)).ToArray();
        using var generator = new Generator(7);
        using var data = new ImageSet(randn([images, 3, s.Image, s.Image], generator: generator), labels,
            Enumerable.Range(0, images).Select(i => (long)i).ToArray(), s.Classes);
        var started = DateTimeOffset.UtcNow;
        var ring = InProcessCollectives.Create(1)[0];
        var layout = new CentreLayout(counts, s.Dimension, options.Leap.TrackerSettings());
        var sink = new CentreServiceSink(client, ring, ClassShard.Whole(s.Classes), layout, $"bench-refresh-{Guid.NewGuid():N}");
        using var session = new TrainingSession(options, counts, data.Shape, CPU, centres: sink);
        var plan = new EpochPlan(options.Seed, data.Count, options.BatchSize);
        var step = new LocalStep(session, new ImageSetBatches(data, plan), plan);
        var hook = new CentreRefreshHook();
        hook.BeforeTrain(session);
        double stepSeconds = 0;
        double hookSeconds = 0;
        int total = s.WarmupSteps + s.TimedSteps;
        for (int i = 0; i < total; i++)
        {
            var (seconds, inHook, _) = Step.HookedStep.Run(step, session, hook);
            if (i >= s.WarmupSteps)
            {
                stepSeconds += seconds;
                hookSeconds += inHook;
            }
        }
        hook.AfterTrain(session);
        long pushes = client.GetCloudStatisticsAsync([0]).GetAwaiter().GetResult().Pushes;
        return new RefreshShareReport(lag, s.RefreshInterval, s.Backbone.ToString(), s.Batch, s.Image, s.Classes, s.Dimension, s.WarmupSteps, s.TimedSteps,
            stepSeconds / s.TimedSteps * 1e3, hookSeconds / s.TimedSteps * 1e3, hookSeconds / stepSeconds, pushes,
            Environment.ProcessorCount, loadAverage, started);
    }
}

/// <summary>The model, data and cadence of <see cref="RefreshShareProbe"/> (defaults: the face setting, ResNet-18 at 112 px).</summary>
public sealed record RefreshShareSettings(
    BackboneKind Backbone = BackboneKind.ResNet18, int Batch = 16, int Image = 112, int Dimension = 512, int RefreshInterval = 5,
    int HeadClasses = 5000, int HeadSamples = 100, int TailClasses = 20000, int TailSamples = 5, int WarmupSteps = 5, int TimedSteps = 40)
{
    public int Classes => HeadClasses + TailClasses;
}
