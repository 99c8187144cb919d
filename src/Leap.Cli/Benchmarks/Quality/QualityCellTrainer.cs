using System.Diagnostics;
using Leap.Core.Statistics;
using Leap.Evaluation;
using Leap.Training.Configuration;
using Leap.Training.Data;
using Leap.Training.Engine;
using Leap.Training.Hooks;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace Leap.Cli.Benchmarks.Quality;

/// <summary>
/// Trains one cell (split x method x seed) single-process on the CPU and scores it with its protocol. Every method
/// gets the same <see cref="QualityBudget"/> and the same fixed hyper-parameters (<see cref="Options"/>).
/// </summary>
public sealed class QualityCellTrainer(QualityBudget budget, string scratchDirectory, ILoggerFactory loggers)
{
    /// <summary>
    /// The one place the benchmark's settings become <see cref="TrainingOptions"/>. Fixed a priori, not tuned on any
    /// test data: CosFace s = 24, m = 0.2 and ArcFace s = 24, m = 0.3 (small-model values of the repository's quick
    /// start), SGD 0.1 with momentum 0.9 and weight decay 5e-4, 5% warm-up then cosine decay, LEAP clouds from 20% of
    /// the steps, centre learning rate 0.1, refresh every step, T = the split's head threshold.
    /// </summary>
    public TrainingOptions Options(QualitySplit split, QualityMethod method, long seed)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(method);
        long steps = budget.StepsFor(split);
        return new TrainingOptions
        {
            Seed = seed,
            BatchSize = budget.BatchSize,
            Steps = steps,
            OutputDirectory = scratchDirectory,
            LogEverySteps = Math.Max(1, (int)(steps / 4)),
            Threads = budget.Threads,
            Model = new ModelOptions { Backbone = budget.Backbone, EmbeddingDimension = budget.EmbeddingDimension },
            Loss = new LossOptions
            {
                Margin = method.Margin, Scale = 24, MarginValue = method.Margin == Core.Margins.MarginKind.CosFace ? 0.2 : 0.3, SampleRate = method.SampleRate,
            },
            Leap = new LeapOptions
            {
                Variant = method.Variant,
                HeadThreshold = split.HeadThreshold,
                CentreLearningRate = 0.1,
                RefreshInterval = 1,
                CloudStartIteration = steps / 5,
            },
            Augmentation = budget.AugmentationFor(split),
            Optimizer = new OptimizerOptions { Kind = OptimizerKind.Sgd, LearningRate = 0.1, Momentum = 0.9, WeightDecay = 5e-4 },
            Schedule = new ScheduleOptions { Kind = ScheduleKind.Cosine, WarmupSteps = Math.Max(1, steps / 20), MinimumLearningRate = 1e-4 },
            Checkpoint = new CheckpointOptions { EverySteps = 0, Resume = false },
        };
    }

    public QualityCellResult Run(IQualityProtocol protocol, QualitySplit split, RunData trainSet, QualityMethod method, long seed)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(trainSet);
        TrainingOptions options = Options(split, method, seed);
        set_num_threads(options.Threads);
        var device = new Device(options.Device);
        var clock = Stopwatch.StartNew();
        using var session = new TrainingSession(options, trainSet.Train.SamplesPerClass(), trainSet.Shape, device);
        var hooks = new List<ITrainingHook>
        {
            new CentreRefreshHook(),
            new LoggingHook(options.LogEverySteps, options.BatchSize, loggers.CreateLogger<LoggingHook>()),
        };
        var plan = new EpochPlan(seed, trainSet.Train.Count, options.BatchSize);
        using (var batches = trainSet.Batches(plan))
        {
            new Trainer(session, new LocalStep(session, batches, plan), hooks).Run();
        }
        double trainSeconds = clock.Elapsed.TotalSeconds;
        IReadOnlyDictionary<string, double> metrics = protocol.Evaluate(split, images => EmbeddingExtractor.Extract(session.Network, images, device));
        if (session.NonFiniteSteps > 0)
        {
            metrics = new Dictionary<string, double>(metrics) { ["nonFiniteSteps"] = session.NonFiniteSteps };
        }

        return new QualityCellResult(split.Name, method.Name, seed, options.Steps, trainSet.Train.Count, trainSet.Train.ClassCount, trainSeconds,
            DateTimeOffset.UtcNow, metrics, budget.Describe(split));
    }
}
