using System.CommandLine;
using Leap.Cli.Rendering;
using Leap.Launch;
using Leap.Runs.Configuration;
using Leap.Training.Configuration;
using Leap.Training.Data;
using Leap.Training.Engine;
using Leap.Training.EvaluationSets;
using Leap.Training.Hooks;
using Leap.Training.Metrics;
using Leap.Worker;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Extensions.Logging;
using Spectre.Console;
using static TorchSharp.torch;

namespace Leap.Cli.Commands;

/// <summary><c>leap train --config FILE [--set Key=Value ...]</c>: single-process training and evaluation.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "JSON file with a \"Training\" section (defaults apply to missing keys)." };
        var set = new Option<string[]>("--set") { Description = "Override a key, e.g. --set Loss:Scale=64 (repeatable).", AllowMultipleArgumentsPerToken = false };
        var progress = new Option<bool>("--no-progress") { Description = "Log to the console instead of drawing a progress bar." };
        var metricsPort = new Option<int>("--metrics-port") { Description = "Serve Prometheus /metrics on 127.0.0.1 at this port while training; 0 = off.", DefaultValueFactory = _ => 0 };
        var command = new Command("train", "Train on a long-tailed split and evaluate on held-out images.") { config, set, progress, metricsPort };
        command.SetAction((parse, cancellation) =>
        {
            int port = parse.GetValue(metricsPort);
            if (port is < 0 or > System.Net.IPEndPoint.MaxPort)
            {
                Console.Error.WriteLine($"--metrics-port = {port} is out of range; allowed 0 (off) or [1, {System.Net.IPEndPoint.MaxPort}].");
                return Task.FromResult(ExitCode.InvalidConfiguration);
            }

            // On a worker thread: System.CommandLine waits for the returned task after Ctrl-C only once it has it, so a
            // synchronous action would be ended at the signal, before its checkpoint.
            return Task.Run(() => Run(parse.GetValue(config)?.FullName, parse.GetValue(set) ?? [], parse.GetValue(progress), cancellation, port), CancellationToken.None);
        });
        return command;
    }

    public static int Run(string? configPath, IReadOnlyList<string> overrides, bool noProgress, CancellationToken cancellation, int metricsPort = 0)
    {
        TrainingOptions options;
        try
        {
            options = TrainingConfigLoader.Load(configPath, overrides);
        }
        catch (ConfigurationException e)
        {
            Console.Error.WriteLine($"Invalid configuration:{Environment.NewLine}{e.Message}");
            return ExitCode.InvalidConfiguration;
        }
        Directory.CreateDirectory(options.OutputDirectory);
        if (Runs.ResumedRunConfiguration.Refusal(options) is string refusal)
        {
            Console.Error.WriteLine($"error: {refusal}");
            return ExitCode.InvalidConfiguration;
        }

        if (!options.Checkpoint.Resume && Runs.FreshRunDirectory.MoveAside(options.OutputDirectory, DateTimeOffset.UtcNow) is string previous)
        {
            Console.Out.WriteLine($"Checkpoint:Resume=false: the previous run in {options.OutputDirectory} was moved to {previous}; starting fresh.");
        }

        RunConfigFile.Save(options);
        bool drawProgress = !noProgress && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        using var serilog = LoggingSetup.Create(Path.Combine(options.OutputDirectory, "train.log"), console: !drawProgress);
        using var loggers = new SerilogLoggerFactory(serilog);
        var log = loggers.CreateLogger("Leap.Train");
        try
        {
            using var metrics = WorkerMetrics.Start(metricsPort, "127.0.0.1");
            return Train(options, loggers, log, drawProgress, metrics.Trainer, cancellation);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            log.LogError(e, "A file or folder the configuration names was not found");
            Console.Error.WriteLine($"Invalid configuration: {e.Message}");
            return ExitCode.InvalidConfiguration;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException or ArgumentException)
        {
            log.LogError(e, "Training failed");
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCode.Failed;
        }
    }

    private static int Train(TrainingOptions options, ILoggerFactory loggers, Microsoft.Extensions.Logging.ILogger log, bool drawProgress,
        Training.Metrics.TrainerMetrics prometheus, CancellationToken cancellation)
    {
        if (options.Threads > 0)
        {
            set_num_threads(options.Threads);
        }
        var device = new Device(options.Device);
        using var data = RunData.Open(options, loggers.CreateLogger<RunData>());
        var (manifest, trainSet, testSet) = (data.Manifest, data.Train, data.Test);
        manifest.Save(Path.Combine(options.OutputDirectory, "longtail-manifest.json"));
        log.LogInformation("{Source}; long-tailed split {Split}: {Head} head + {Tail} tail classes, {Train} training images; {Test} evaluation images",
            data.SourceDescription, manifest.Options.ToString(), manifest.HeadClassCount, manifest.TailClassCount, trainSet.Count, testSet.Count);

        log.LogInformation("Native heap: {Heap}", Leap.Launch.NativeHeapRetention.Describe());
        using var session = new TrainingSession(options, trainSet.SamplesPerClass(), data.Shape, device);
        if (options.Checkpoint.Resume && session.TryResume() is string resumed)
        {
            log.LogInformation("Resumed from {Checkpoint} at step {Step}", resumed, session.Step);
        }
        using var sets = EvaluationSetFactory.Open(options.Evaluation, options.Data);
        var evaluator = new RunEvaluator(testSet, data.HeadClasses, options.Evaluation.Pairs, options.Seed, sets: sets);
        var board = new TensorBoardHook(Path.Combine(options.OutputDirectory, "tensorboard"));
        var metrics = new MetricsJsonlHook(Path.Combine(options.OutputDirectory, MetricsJsonlHook.FileName), options.BatchSize);
        var hooks = new List<ITrainingHook>
        {
            new CentreRefreshHook(),
            board,
            metrics,
            new LoggingHook(options.LogEverySteps, options.BatchSize, loggers.CreateLogger<LoggingHook>()),
            new ValidationHook(options.Evaluation.EverySteps, evaluator, board, loggers.CreateLogger<ValidationHook>(), metrics, prometheus),
            new MetricsHook(prometheus),
            new CheckpointHook(options.Checkpoint.EverySteps, loggers.CreateLogger<CheckpointHook>()),
        };
        var plan = data.Plan();
        using var batches = data.Batches(plan);
        if (drawProgress)
        {
            AnsiConsole.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                    new RemainingTimeColumn(), new SpinnerColumn())
                .Start(ctx =>
                {
                    hooks.Add(new ProgressBarHook(ctx.AddTask("train")));
                    new Trainer(session, new LocalStep(session, batches, plan), hooks).Run(cancellation);
                });
        }
        else
        {
            new Trainer(session, new LocalStep(session, batches, plan), hooks).Run(cancellation);
        }
        data.ReportSkipped();
        if (cancellation.IsCancellationRequested)
        {
            log.LogWarning("Interrupted at step {Step}; checkpoint written, rerun the same command to resume", session.Step);
            return ExitCode.Interrupted;
        }

        var summary = evaluator.Evaluate(session);
        metrics.WriteValidation(summary);
        prometheus.Publish(summary);
        EvaluationJson.Write(Path.Combine(options.OutputDirectory, "evaluation.json"), summary);
        EvaluationTable.Write(AnsiConsole.Console, summary,
            $"{options.Loss.Margin} + LEAP {options.Leap.Variant} on {manifest.Options} after {session.Step} steps");
        log.LogInformation("Evaluation written to {Path}", Path.Combine(options.OutputDirectory, "evaluation.json"));
        log.LogInformation("Peak resident memory {PeakResidentMegabytes:F1} MB", ProcessMemory.PeakResidentBytes() / 1e6);
        return ExitCode.Completed;
    }
}
