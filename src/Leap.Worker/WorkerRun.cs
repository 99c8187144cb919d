using Leap.CentreService;
using Leap.CentreService.Client;
using Leap.Collectives;
using Leap.Collectives.Ring;
using Leap.Coordinator.Client;
using Leap.Security;
using Leap.Training.Checkpoints;
using Leap.Training.Configuration;
using Leap.Training.Data;
using Leap.Training.Distributed;
using Leap.Training.Engine;
using Leap.Training.EvaluationSets;
using Leap.Training.Hooks;
using Leap.Training.Metrics;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace Leap.Worker;

/// <summary>
/// One worker of a distributed job: register with the coordinator (rank, generation), form the collective ring with
/// the peers it names, resume from the last committed checkpoint, train with the data-parallel step and this rank's
/// classifier shard (heartbeats in the background, checkpoints reported for the commit protocol), evaluate, complete.
/// Failures are thrown (<see cref="RestartableFailure"/> tells a lost generation from a bug); writing evaluation.json
/// and showing the result are left to the caller.
/// </summary>
public sealed partial class WorkerRun(TrainingOptions options, WorkerSettings settings, ILoggerFactory loggers)
{
    private readonly ILogger _log = loggers.CreateLogger<WorkerRun>();

    public async Task<WorkerResult> RunAsync(CancellationToken cancellation)
    {
        using var metrics = WorkerMetrics.Start(settings.MetricsPort, settings.PeerHost);
        var security = settings.Security ?? ClientSecurity.None;
        using var channel = security.CreateChannel(new Uri(settings.CoordinatorUrl), GrpcMessageLimits.Coordinator);
        var coordinator = new WorkerCoordinatorClient(security.CallInvoker(channel), CoordinatorRetries, logger: loggers.CreateLogger<WorkerCoordinatorClient>());
        if ((await coordinator.GetStatusAsync(cancellation).ConfigureAwait(false)).Phase == Contracts.V1.JobPhase.Completed)
        {
            // A restart after the last rank completed (e.g. a pod replaced late): nothing is left to do.
            Log.AlreadyCompleted(_log, settings.JobId);
            return new WorkerResult(WorkerOutcome.Completed);
        }
        string peer = $"{settings.PeerHost}:{settings.PeerPort}";
        var me = await coordinator.RegisterAsync(settings.JobId, settings.WorldSize, peer, settings.RequestedRank, cancellation).ConfigureAwait(false);
        int rank = me.Rank;
        int world = me.WorldSize;
        using var scope = _log.BeginScope(new Dictionary<string, object> { ["Rank"] = rank, ["WorldSize"] = world, ["Generation"] = me.Generation });
        Log.Registered(_log, rank, world, me.Generation);
        var peers = await coordinator.GetPeersAsync(me.Generation, cancellation).ConfigureAwait(false);
        await using var ring = await RingCollectives.StartAsync(settings.Transport,
            new RingOptions { Addresses = peers.ToList(), Rank = rank, Token = security.Token }, loggers, cancellation).ConfigureAwait(false);

        using var data = RunData.Open(options, loggers.CreateLogger<RunData>());
        var shard = ClassShard.For(data.Manifest.Classes.Count, rank, world);
        using var centreChannel = settings.CentreServiceUrl is null ? null
            : security.CreateChannel(new Uri(settings.CentreServiceUrl), GrpcMessageLimits.CentreService);
        var centres = centreChannel is null ? null : new CentreServiceSink(new CentreServiceClient(security.CallInvoker(centreChannel)), ring, shard,
            new CentreLayout(data.Train.SamplesPerClass(), options.Model.EmbeddingDimension, options.Leap.TrackerSettings()), settings.JobId)
        {
            Metrics = metrics.CentreClient,
        };
        // The centre sink keeps the balanced shard whatever the placement: each rank pushes the centres of its own classes.
        using var session = new TrainingSession(options, data.Train.SamplesPerClass(), data.Shape, new Device(options.Device), shard, centres,
            options.Distributed.Classifier);
        Log.Placement(_log, session.Shard.IsReplicated ? "replicated" : "sharded", session.Shard.Start, session.Shard.Start + session.Shard.Count,
            options.Distributed.Classifier);
        var committed = await coordinator.GetLatestCommittedCheckpointAsync(cancellation).ConfigureAwait(false);
        if (committed is not null && !CommittedResume.NeedsReshard(committed.WorldSize, CheckpointStore.ReadMeta(committed.Paths[0]), session.Shard))
        {
            Log.Resumed(_log, session.Resume(committed.Step), committed.Step);
        }
        else if (committed is not null)
        {
            // The coordinator accepts another world size only when told to (Coordinator:AllowWorldSizeChange).
            ReshardedCheckpoint.Restore(session, committed.Paths, committed.Step);
            Log.Resharded(_log, committed.Step, committed.WorldSize, world, session.Shard.Start, session.Shard.Start + session.Shard.Count);
        }
        if (rank == 0)
        {
            data.Manifest.Save(Path.Combine(options.OutputDirectory, "longtail-manifest.json"));
        }

        // Heartbeats outlive Ctrl-C: the generation must stay alive while the ranks finish their agreed last step and
        // report its checkpoint.
        using var stopHeartbeats = new CancellationTokenSource();
        var heartbeats = coordinator.RunHeartbeatsAsync(me.Generation, rank, () => session.Step, me.HeartbeatInterval.ToTimeSpan(), stopHeartbeats.Token);
        using var sets = EvaluationSetFactory.Open(options.Evaluation, options.Data);
        var evaluator = new RunEvaluator(data.Test, data.HeadClasses, options.Evaluation.Pairs, options.Seed, ring, sets);
        var metricsLog = rank == 0 ? new MetricsJsonlHook(Path.Combine(options.OutputDirectory, MetricsJsonlHook.FileName), options.BatchSize) : null;
        var hooks = Hooks(session, evaluator, metricsLog, metrics.Trainer, new HeartbeatWatchHook(heartbeats), new CentreRefreshHook(), (step, dir) =>
            coordinator.ReportCheckpointAsync(me.Generation, rank, step, dir, CancellationToken.None).GetAwaiter().GetResult());
        hooks.Add(new MetricsHook(metrics.Trainer));
        var plan = data.Plan();
        EvaluationSummary summary;
        try
        {
            using (var batches = data.Batches(plan, rank, world))
            {
                var collectives = metrics.Meter(ring);
                IStepRunner step = session.Shard.IsReplicated
                    ? new ReplicatedClassifierStep(session, batches, plan, collectives)
                    : new DataParallelStep(session, batches, plan, collectives);
                using var ownedStep = step as IDisposable;
                await Task.Run(() => new Trainer(session, step, hooks).Run(cancellation), CancellationToken.None).ConfigureAwait(false);
            }
            data.ReportSkipped();
            if (session.Step < options.Steps)
            {
                // Every rank stopped after the same step and reported its checkpoint, so the coordinator committed it.
                Log.Interrupted(_log, session.Step);
                return new WorkerResult(WorkerOutcome.Interrupted);
            }
            summary = evaluator.Evaluate(session);
        }
        finally
        {
            await stopHeartbeats.CancelAsync().ConfigureAwait(false);
            await IgnoreCancellation(heartbeats).ConfigureAwait(false);
        }

        metrics.Trainer.Publish(summary);
        metricsLog?.WriteValidation(summary);
        Log.PeakMemory(_log, ProcessMemory.PeakResidentBytes() / 1e6);
        await ring.BarrierAsync(cancellation).ConfigureAwait(false);
        await coordinator.CompleteAsync(me.Generation, rank, cancellation).ConfigureAwait(false);
        return rank == 0
            ? new WorkerResult(WorkerOutcome.Completed, summary, $"{options.Loss.Margin} + LEAP {options.Leap.Variant} on {data.Manifest.Options}, {world} workers, {session.Step} steps")
            : new WorkerResult(WorkerOutcome.Completed);
    }

    /// <param name="metricsLog">metrics.jsonl, written by rank 0 only (null on the other ranks).</param>
    private List<ITrainingHook> Hooks(TrainingSession session, RunEvaluator evaluator, MetricsJsonlHook? metricsLog, TrainerMetrics prometheus,
        ITrainingHook watch, ITrainingHook centres, Action<long, string> reportCheckpoint)
    {
        var hooks = new List<ITrainingHook> { watch, centres };
        TensorBoardHook? board = null;
        bool rankZero = metricsLog is not null;
        if (rankZero)
        {
            board = new TensorBoardHook(Path.Combine(options.OutputDirectory, "tensorboard"));
            hooks.Add(board);
            hooks.Add(metricsLog!);
            hooks.Add(new LoggingHook(options.LogEverySteps, options.BatchSize, loggers.CreateLogger<LoggingHook>()));
        }
        // Validation is collective (distributed argmax): every rank runs it, only rank 0 logs and writes events.
        hooks.Add(new ValidationHook(options.Evaluation.EverySteps, evaluator, board,
            rankZero ? loggers.CreateLogger<ValidationHook>() : Microsoft.Extensions.Logging.Abstractions.NullLogger<ValidationHook>.Instance, metricsLog, prometheus));
        hooks.Add(new CheckpointHook(options.Checkpoint.EverySteps, loggers.CreateLogger<CheckpointHook>(), reportCheckpoint));
        return hooks;
    }

    private static async Task IgnoreCancellation(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// About 25 s of backoff (0.2 s doubling to 5 s, with jitter) per call: enough to ride out a coordinator restart.
    /// A call that still fails leaves the worker as restartable, so its supervisor starts it again.
    /// </summary>
    private static readonly CoordinatorClientOptions CoordinatorRetries = new() { MaxAttempts = 10 };

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Registered as rank {Rank} of {WorldSize} (generation {Generation})")]
        public static partial void Registered(ILogger logger, int rank, int worldSize, long generation);

        [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} already completed; nothing to do")]
        public static partial void AlreadyCompleted(ILogger logger, string jobId);

        [LoggerMessage(Level = LogLevel.Information, Message = "Peak resident memory {PeakResidentMegabytes:F1} MB")]
        public static partial void PeakMemory(ILogger logger, double peakResidentMegabytes);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Interrupted at step {Step}; every rank's checkpoint of it was reported for commit; rerun the same launch to resume")]
        public static partial void Interrupted(ILogger logger, long step);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Re-sharded committed step {Step} of {OldWorldSize} workers onto {WorldSize} (or onto another classifier placement): this rank holds classes [{FirstClass}, {EndClass})")]
        public static partial void Resharded(ILogger logger, long step, int oldWorldSize, int worldSize, int firstClass, int endClass);

        [LoggerMessage(Level = LogLevel.Information, Message = "Classifier {Placement} on this rank: classes [{FirstClass}, {EndClass}) (Training:Distributed:Classifier = {Requested})")]
        public static partial void Placement(ILogger logger, string placement, int firstClass, int endClass, ClassifierPlacement requested);

        [LoggerMessage(Level = LogLevel.Information, Message = "Resumed from committed checkpoint {Directory} (step {Step})")]
        public static partial void Resumed(ILogger logger, string directory, long step);
    }
}
