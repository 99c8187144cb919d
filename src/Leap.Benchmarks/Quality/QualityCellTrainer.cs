using Leap.Core.Statistics;
using Leap.Evaluation;
using Leap.Training.Configuration;
using Leap.Training.Data;
using Leap.Training.Engine;
using Leap.Training.Hooks;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace Leap.Benchmarks.Quality;

/// <summary>
/// Trains one cell (split x method x seed) single-process on the CPU and scores it with its protocol. Every method
/// gets the same <see cref="QualityBudget"/> and the same fixed hyper-parameters (<see cref="Options"/>).
/// A cell checkpoints every <paramref name="checkpointEverySteps"/> steps into its own folder under
/// <paramref name="scratchDirectory"/> (with its <see cref="QualityCellProgress"/>); a cell that was stopped, by Ctrl-C
/// or a killed process, resumes from there on the next run, and the folder is deleted once the cell is scored.
/// </summary>
public sealed partial class QualityCellTrainer(QualityBudget budget, string scratchDirectory, ILoggerFactory loggers, long checkpointEverySteps = 100)
{
    /// <summary>
    /// The one place the benchmark's settings become <see cref="TrainingOptions"/>. Fixed a priori, not tuned on any
    /// test data (see <see cref="QualityBudget.DescribeHyperParameters"/>): the budget's backbone, initialisation,
    /// optimiser, scales and margins; 5% warm-up then cosine decay; LEAP clouds from 20% of the steps, centre learning
    /// rate 0.1, the budget's refresh interval, T = the split's head threshold.
    /// </summary>
    public TrainingOptions Options(QualitySplit split, QualityMethod method, long seed)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(method);
        long steps = budget.StepsFor(split);
        var (scale, margin) = budget.MarginFor(split, method.Margin);
        return new TrainingOptions
        {
            Seed = seed,
            BatchSize = budget.BatchSize,
            Steps = steps,
            OutputDirectory = CellDirectory(split, method, seed),
            LogEverySteps = Math.Max(1, (int)(steps / 4)),
            Threads = budget.Threads,
            Model = new ModelOptions { Backbone = budget.Backbone, EmbeddingDimension = budget.EmbeddingDimension, Pretrained = budget.Pretrained },
            Data = new DataOptions { Normalisation = budget.Normalisation },
            Loss = new LossOptions { Margin = method.Margin, Scale = scale, MarginValue = margin, SampleRate = method.SampleRate },
            Leap = new LeapOptions
            {
                Variant = method.Variant,
                HeadThreshold = split.HeadThreshold,
                CentreLearningRate = 0.1,
                RefreshInterval = budget.RefreshInterval,
                RefreshLag = method.RefreshLag,
                CloudStartIteration = steps / 5,
            },
            Augmentation = budget.AugmentationFor(split),
            Optimizer = budget.OptimizerOptions(),
            Schedule = new ScheduleOptions { Kind = ScheduleKind.Cosine, WarmupSteps = Math.Max(1, steps / 20), MinimumLearningRate = budget.Optimizer == OptimizerKind.Adam ? 1e-6 : 1e-4 },
            Checkpoint = new CheckpointOptions { EverySteps = checkpointEverySteps, Keep = 1, Resume = true },
        };
    }

    /// <summary>Whether a cell records its learning curve: the baselines' first seed, when the budget asks for curves.</summary>
    public bool RecordsCurve(QualityMethod method, long seed)
    {
        ArgumentNullException.ThrowIfNull(method);
        return budget.CurvePoints > 0 && seed == 1 && method.Variant == LeapVariant.None && method.SampleRate >= 1 && method.RefreshLag == 0;
    }

    /// <summary>The folder a cell's checkpoints live in until it is scored.</summary>
    public string CellDirectory(QualitySplit split, QualityMethod method, long seed)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(method);
        return Path.Combine(scratchDirectory, split.Name, method.Name, $"seed-{seed}");
    }

    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> stopped the cell; its last checkpoint
    /// (written on the way out) is where the next run resumes.</exception>
    public QualityCellResult Run(IQualityProtocol protocol, QualitySplit split, RunData trainSet, QualityMethod method, long seed,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(trainSet);
        TrainingOptions options = Options(split, method, seed);
        PrepareCellDirectory(split, method, seed);
        set_num_threads(options.Threads);
        var device = new Device(options.Device);
        // Training time without the periods the grid was paused (SIGSTOP during measurements and CI).
        using var clock = new RunningClock();
        using var session = new TrainingSession(options, trainSet.Train.SamplesPerClass(), trainSet.Shape, device);
        Embeddings Embed(IImageCollection images) => EmbeddingExtractor.Extract(session.Network, images, device);
        QualityCurveHook? curve = RecordsCurve(method, seed)
            ? new QualityCurveHook(Math.Max(1, options.Steps / budget.CurvePoints), options.Steps, _ => protocol.Evaluate(split, Embed), loggers.CreateLogger<QualityCurveHook>())
            : null;
        QualityCellProgress earlier = QualityCellProgress.Fresh;
        if (session.TryResume() is string resumed)
        {
            earlier = QualityCellProgress.Read(resumed);
            earlier = earlier with { ResumedAtSteps = [.. earlier.ResumedAtSteps, session.Step] };
            if (curve is not null && earlier.Curve is not null)
            {
                curve.Restore(earlier.Curve);
            }

            Log.Resumed(loggers.CreateLogger<QualityCellTrainer>(), split.Name, method.Name, seed, session.Step, earlier.TrainSeconds);
        }

        session.CheckpointExtras = dir => new QualityCellProgress(earlier.TrainSeconds + clock.Elapsed.TotalSeconds, curve?.Snapshot(), earlier.ResumedAtSteps).Write(dir);
        var hooks = new List<ITrainingHook>
        {
            new CentreRefreshHook(),
            new LoggingHook(options.LogEverySteps, options.BatchSize, loggers.CreateLogger<LoggingHook>()),
        };
        if (curve is not null)
        {
            hooks.Add(curve);
        }

        // After the curve hook, so that a checkpoint holds the point scored at its own step.
        hooks.Add(new CheckpointHook(options.Checkpoint.EverySteps, loggers.CreateLogger<CheckpointHook>()));
        var plan = new EpochPlan(seed, trainSet.Train.Count, options.BatchSize);
        using (var batches = trainSet.Batches(plan))
        {
            new Trainer(session, new LocalStep(session, batches, plan), hooks).Run(cancellation);
        }

        cancellation.ThrowIfCancellationRequested();
        double trainSeconds = earlier.TrainSeconds + clock.Elapsed.TotalSeconds;
        IReadOnlyDictionary<string, double> metrics = protocol.Evaluate(split, Embed);
        if (session.NonFiniteSteps > 0)
        {
            metrics = new Dictionary<string, double>(metrics) { ["nonFiniteSteps"] = session.NonFiniteSteps };
        }

        QualitySpread spread = Spread(trainSet, Embed);
        var result = new QualityCellResult(split.Name, method.Name, seed, options.Steps, trainSet.Train.Count, trainSet.Train.ClassCount, trainSeconds,
            DateTimeOffset.UtcNow, metrics, budget.Describe(split), curve?.Finish(options.Steps, metrics), spread,
            Environment.GetEnvironmentVariable(Training.Platform.OneDnnIsaLimit.Variable) ?? "unrestricted",
            earlier.ResumedAtSteps.Count > 0 ? earlier.ResumedAtSteps : null);
        if (result.Recipe != budget.RecipeFor(split))
        {
            // Kept: the checkpoints hold the trained cell, which a fixed budget text can still record.
            throw new InvalidOperationException($"Cell {split.Name} / {method.Name} / seed {seed} records the recipe '{result.Recipe}' where its budget has '{budget.RecipeFor(split)}'; its checkpoints stay in {options.OutputDirectory}.");
        }

        // The checkpoints stay until the result is saved (DiscardCheckpoints): a cell whose result fails to save resumes
        // from its last step instead of training again.
        return result;
    }

    /// <summary>Deletes a scored cell's checkpoints; call once its result is saved.</summary>
    public void DiscardCheckpoints(QualitySplit split, QualityMethod method, long seed)
    {
        string directory = CellDirectory(split, method, seed);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The file in a cell's folder that names the budget its checkpoints were trained with.</summary>
    public const string BudgetFileName = "budget.txt";

    /// <summary>
    /// A cell resumes only checkpoints of its own budget: a folder whose <see cref="BudgetFileName"/> names another budget
    /// (the same split, method and seed run with other flags) is deleted and the cell starts afresh; a folder without
    /// one (written before budgets were recorded) is resumed. Then the folder records this budget.
    /// </summary>
    /// <returns>Whether checkpoints of another budget were deleted.</returns>
    public bool PrepareCellDirectory(QualitySplit split, QualityMethod method, long seed)
    {
        string directory = CellDirectory(split, method, seed);
        string wanted = budget.Describe(split);
        bool discarded = false;
        string file = Path.Combine(directory, BudgetFileName);
        if (File.Exists(file) && File.ReadAllText(file).Trim() is var recorded && recorded != wanted)
        {
            Log.OtherBudget(loggers.CreateLogger<QualityCellTrainer>(), split.Name, method.Name, seed, recorded, wanted);
            Directory.Delete(directory, recursive: true);
            discarded = true;
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(file, wanted + Environment.NewLine);
        return discarded;
    }

    /// <summary>Head vs tail intra-class angular spread of the trained model's features of its (unaugmented) training images.</summary>
    private static QualitySpread Spread(RunData trainSet, Func<IImageCollection, Embeddings> embed)
    {
        EvaluationImages images = trainSet.TrainingImages();
        AngularSpreadReport report = AngularSpread.Compute(embed(images), images.Labels.Select(l => (int)l).ToArray(), trainSet.HeadClasses);
        return new QualitySpread(report.Head.Mean, report.Tail.Mean, report.Head.ClassCount, report.Tail.ClassCount);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7004, Level = LogLevel.Information, Message = "Cell {Split} / {Method} / seed {Seed} resumed at step {Step} ({Seconds:F0} s of training before)")]
        public static partial void Resumed(ILogger logger, string split, string method, long seed, long step, double seconds);

        [LoggerMessage(EventId = 7006, Level = LogLevel.Warning, Message = "Cell {Split} / {Method} / seed {Seed}: its checkpoints were trained with '{Recorded}', not '{Wanted}'; they are deleted and the cell starts afresh")]
        public static partial void OtherBudget(ILogger logger, string split, string method, long seed, string recorded, string wanted);
    }
}
