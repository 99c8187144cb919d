using Leap.Training.Configuration;
using Leap.Training.Data;
using Leap.Training.Engine;
using Leap.Training.Hooks;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace Leap.Benchmarks.DataLoader;

/// <summary>
/// A real single-process training run on a packed set, built as <c>leap train</c> builds it (<see cref="RunData"/>, its
/// prefetching batches, <see cref="TrainingSession"/>, <see cref="LocalStep"/> with the batch augmentation, the
/// <see cref="Trainer"/> loop with the centre-refresh and logging hooks) and no evaluation or checkpoints; reports the
/// share of step time spent waiting for data after the warm-up steps.
/// </summary>
public static class TrainingDataWaitProbe
{
    public static DataWaitResult Run(string dataset, TrainingOptions options, int warmupSteps, ILoggerFactory loggers, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        if (options.Threads > 0)
        {
            set_num_threads(options.Threads);
        }

        using var data = RunData.Open(options, loggers.CreateLogger<RunData>());
        using var session = new TrainingSession(options, data.Train.SamplesPerClass(), data.Shape, CPU);
        var recorder = new DataWaitRecorder();
        var hooks = new List<ITrainingHook>
        {
            new CentreRefreshHook(),
            new LoggingHook(options.LogEverySteps, options.BatchSize, loggers.CreateLogger<LoggingHook>()),
            recorder,
        };
        var plan = data.Plan();
        using var batches = data.Batches(plan);
        new Trainer(session, new LocalStep(session, batches, plan), hooks).Run(cancellation);
        var timed = recorder.Steps.Skip(warmupSteps).ToList();
        if (timed.Count == 0)
        {
            throw new InvalidOperationException($"No timed steps: {recorder.Steps.Count} steps ran, {warmupSteps} of them warm-up.");
        }

        return new DataWaitResult(dataset, options.Model.Backbone.ToString(), Step.StepBenchSettings.MethodName(options.Loss.Margin, options.Leap.Variant), options.BatchSize, options.Data.ImageHeight, options.Data.ImageWidth,
            options.Augmentation.PadCrop, options.Data.DecodeThreads, options.Data.PrefetchBatches, get_num_threads(), warmupSteps, timed.Count,
            timed.Sum(s => s.Elapsed.TotalSeconds), timed.Sum(s => s.Wait.TotalSeconds), timed.Max(s => s.Wait.TotalSeconds), recorder.CpuSecondsPerStep(warmupSteps));
    }
}
