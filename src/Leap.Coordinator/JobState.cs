using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Leap.Coordinator;

/// <summary>
/// The coordinator's job: forms generations from registrations, assigns ranks, keeps leases (timers on the injected
/// <see cref="TimeProvider"/>), runs barriers and commits checkpoints. One lock guards everything; waits (registration,
/// barriers) happen outside it on tasks completed under it.
/// </summary>
public sealed partial class JobState : IJobState, IDisposable
{
    private readonly Lock _lock = new();
    private readonly CoordinatorOptions _options;
    private readonly TimeProvider _time;
    private readonly CoordinatorStateFile _stateFile;
    private readonly ILogger<JobState> _logger;
    private readonly Dictionary<long, string> _endReasons = [];
    private Generation _current;
    private Generation? _next;
    private CommittedCheckpoint? _latestCommitted;

    public JobState(IOptions<CoordinatorOptions> options, TimeProvider time, CoordinatorStateFile stateFile, ILogger<JobState> logger)
    {
        _options = options.Value;
        _time = time;
        _stateFile = stateFile;
        _logger = logger;
        var persisted = stateFile.Load();
        _latestCommitted = persisted.LatestCommitted;
        _current = new Generation(persisted.LastGeneration + 1, _options.WorldSize);
        LogStateLoaded(stateFile.Path, persisted.LastGeneration, persisted.LatestCommitted?.Step);
        if (_latestCommitted is { } committed && committed.WorldSize != _options.WorldSize)
        {
            if (WorldSizeChangeValidator.Refusal(_options) is { } refusal)
            {
                throw new InvalidOperationException(refusal);
            }
            LogWorldSizeChanged(committed.Step, committed.WorldSize, _options.WorldSize);
        }
    }

    public CommittedCheckpoint? LatestCommittedCheckpoint
    {
        get
        {
            lock (_lock)
            {
                return _latestCommitted;
            }
        }
    }

    public async Task<RankAssignment> RegisterAsync(WorkerRegistration registration, CancellationToken cancellation)
    {
        var problems = registration.FindProblems(_options.JobId, _options.WorldSize);
        if (problems.Count > 0)
        {
            throw new CoordinationException(CoordinationError.InvalidArgument, string.Join("; ", problems));
        }
        Generation forming;
        lock (_lock)
        {
            if (_current.IsLive && _current.FindByInstance(registration.InstanceId) is { } known)
            {
                return Assignment(_current, known.Rank);
            }
            if (_current.Phase == JobPhase.Completed)
            {
                throw new CoordinationException(CoordinationError.FailedPrecondition,
                    $"job {_options.JobId} completed in generation {_current.Number}");
            }
            if (_current.Phase == JobPhase.Running
                && Array.Find(_current.Ranks, r => r.Address == registration.PeerAddress) is { } restarted)
            {
                End(_current, $"rank {restarted.Rank} re-registered after a restart");
            }
            if (_current.Phase == JobPhase.Failed)
            {
                _current = new Generation(_current.Number + 1, _options.WorldSize);
            }
            // A new worker at an address no running rank has queues for the next generation instead of ending this one.
            forming = _current.Phase == JobPhase.Running ? _next ??= new Generation(_current.Number + 1, _options.WorldSize) : _current;
            forming.Pending.RemoveAll(r => r.InstanceId == registration.InstanceId);
            forming.Pending.Add(registration);
            LogWorkerRegistered(registration.InstanceId, registration.PeerAddress, forming.Number, forming.Pending.Count, forming.WorldSize);
            if (forming == _current && forming.Pending.Count == forming.WorldSize)
            {
                StartGeneration(forming);
            }
        }
        try
        {
            await forming.Formed.WaitAsync(cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            lock (_lock)
            {
                if (forming.Phase == JobPhase.Waiting && forming.Pending.Remove(registration))
                {
                    LogRegistrationWithdrawn(registration.InstanceId, forming.Number);
                }
            }
            throw;
        }
        lock (_lock)
        {
            var slot = forming.FindByInstance(registration.InstanceId)
                ?? throw new CoordinationException(CoordinationError.FailedPrecondition,
                    $"generation {forming.Number} started without worker {registration.InstanceId}; register again");
            return Assignment(forming, slot.Rank);
        }
    }

    public IReadOnlyList<string> GetPeers(long generation)
    {
        lock (_lock)
        {
            return Array.ConvertAll(RequireLive(generation).Ranks, r => r.Address);
        }
    }

    public EpochAssignment GetEpochPlan(long generation, int epoch, int rank)
    {
        if (epoch < 0)
        {
            throw new CoordinationException(CoordinationError.InvalidArgument, $"epoch must be >= 0 (was {epoch})");
        }
        lock (_lock)
        {
            var live = RequireLive(generation);
            live.Slot(rank);
            int localBatch = _options.GlobalBatchSize / live.WorldSize;
            return new EpochAssignment(_options.Seed, epoch, _options.SampleCount, _options.GlobalBatchSize, rank,
                live.WorldSize, localBatch, _options.SampleCount / _options.GlobalBatchSize);
        }
    }

    public DateTimeOffset Heartbeat(long generation, int rank, long step)
    {
        lock (_lock)
        {
            var live = RequireLive(generation);
            var slot = live.Slot(rank);
            var now = _time.GetUtcNow();
            slot.LastHeartbeat = now;
            slot.Step = Math.Max(slot.Step, step);
            if (live.Phase == JobPhase.Running && !slot.Completed)
            {
                slot.RenewLease(_time, _options.HeartbeatDeadline, OnLeaseExpired, (live, slot));
            }
            return now + _options.HeartbeatDeadline;
        }
    }

    public Task<int> ArriveAtBarrierAsync(long generation, string name, int rank, CancellationToken cancellation)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new CoordinationException(CoordinationError.InvalidArgument, "a barrier needs a name");
        }
        if (CoordinatorRequestLimits.TooLong("barrier name", name, CoordinatorRequestLimits.MaxIdLength) is { } tooLong)
        {
            throw new CoordinationException(CoordinationError.InvalidArgument, tooLong);
        }
        Task<int> released;
        lock (_lock)
        {
            var live = RequireLive(generation);
            live.Slot(rank);
            if (!live.Barriers.TryGetValue(name, out var barrier))
            {
                barrier = new BarrierState();
                live.Barriers.Add(name, barrier);
            }
            barrier.Arrived.Add(rank);
            if (barrier.Arrived.Count == live.WorldSize)
            {
                barrier.Released.TrySetResult(live.WorldSize);
            }
            released = barrier.Released.Task;
        }
        return released.WaitAsync(cancellation);
    }

    public CheckpointReport ReportCheckpoint(long generation, int rank, long step, string path)
    {
        if (CoordinatorRequestLimits.TooLong("checkpoint path", path, CoordinatorRequestLimits.MaxPathLength) is { } tooLong)
        {
            throw new CoordinationException(CoordinationError.InvalidArgument, tooLong);
        }
        if (step < 0 || string.IsNullOrWhiteSpace(path))
        {
            throw new CoordinationException(CoordinationError.InvalidArgument,
                $"a checkpoint report needs a step >= 0 and a path (was step {step}, path '{path}')");
        }
        lock (_lock)
        {
            var live = RequireLive(generation);
            live.Slot(rank);
            if (!live.CheckpointReports.TryGetValue(step, out var paths))
            {
                paths = new string?[live.WorldSize];
                live.CheckpointReports.Add(step, paths);
            }
            if (paths[rank] is { } earlier && earlier != path)
            {
                throw new CoordinationException(CoordinationError.FailedPrecondition,
                    $"rank {rank} already reported step {step} of generation {generation} at '{earlier}', not '{path}'");
            }
            bool first = paths[rank] is null;
            paths[rank] = path;
            int reported = paths.Count(p => p is not null);
            bool committed = reported == live.WorldSize;
            if (committed && first)
            {
                _latestCommitted = new CommittedCheckpoint(step, live.Number, live.WorldSize, paths.Select(p => p!).ToArray(), _time.GetUtcNow());
                _stateFile.Save(new PersistedJobState(live.Number, _latestCommitted));
                LogCheckpointCommitted(step, live.Number, _stateFile.Path);
            }
            return new CheckpointReport(committed, reported);
        }
    }

    public JobStatus GetStatus()
    {
        lock (_lock)
        {
            return new JobStatus(_options.JobId, _current.Number, _options.WorldSize, _current.Phase, _current.Reason,
                Array.ConvertAll(_current.Ranks, r => r.ToStatus()), _current.IsLive ? _current.WorldSize : _current.Pending.Count,
                _latestCommitted);
        }
    }

    public bool Complete(long generation, int rank)
    {
        lock (_lock)
        {
            var live = RequireLive(generation);
            var slot = live.Slot(rank);
            slot.Completed = true;
            slot.StopLease();
            if (live.Phase == JobPhase.Running && Array.TrueForAll(live.Ranks, r => r.Completed))
            {
                live.MarkCompleted();
                LogJobCompleted(_options.JobId, live.Number);
            }
            return live.Phase == JobPhase.Completed;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var slot in _current.Ranks)
            {
                slot.StopLease();
            }
        }
    }

    private void StartGeneration(Generation forming)
    {
        forming.Start(_time.GetUtcNow());
        foreach (var slot in forming.Ranks)
        {
            slot.RenewLease(_time, _options.HeartbeatDeadline, OnLeaseExpired, (forming, slot));
        }
        _stateFile.Save(new PersistedJobState(forming.Number, _latestCommitted));
        LogGenerationStarted(forming.Number, forming.WorldSize, string.Join(", ", forming.Ranks.Select(r => $"{r.Rank}={r.Address}")));
    }

    private void OnLeaseExpired(object? state)
    {
        var (generation, slot) = ((Generation, RankSlot))state!;
        lock (_lock)
        {
            bool renewed = _time.GetUtcNow() - slot.LastHeartbeat < _options.HeartbeatDeadline;
            if (generation.Phase != JobPhase.Running || slot.Completed || renewed)
            {
                return;
            }
            End(generation, $"rank {slot.Rank} missed its heartbeat deadline");
        }
    }

    private void End(Generation generation, string reason)
    {
        string message = $"generation {generation.Number} ended: {reason}";
        _endReasons[generation.Number] = message;
        generation.Fail(reason, new CoordinationException(CoordinationError.FailedPrecondition, message));
        LogGenerationEnded(generation.Number, reason);
        if (_next is { } next)
        {
            _current = next;
            _next = null;
            if (next.Pending.Count == next.WorldSize)
            {
                StartGeneration(next);
            }
        }
    }

    private Generation RequireLive(long generation)
    {
        if (_endReasons.TryGetValue(generation, out var ended))
        {
            throw new CoordinationException(CoordinationError.FailedPrecondition, ended);
        }
        if (generation == _current.Number && _current.IsLive)
        {
            return _current;
        }
        string why = generation == _current.Number ? "is still forming" : $"is unknown (the current generation is {_current.Number})";
        throw new CoordinationException(CoordinationError.FailedPrecondition, $"generation {generation} {why}");
    }

    private RankAssignment Assignment(Generation generation, int rank) =>
        new(rank, generation.WorldSize, generation.Number, _options.Seed);
}
