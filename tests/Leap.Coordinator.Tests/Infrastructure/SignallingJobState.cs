namespace Leap.Coordinator.Tests.Infrastructure;

/// <summary>
/// Wraps the real job state and signals when registrations, barrier arrivals and heartbeats have been recorded, so functional
/// tests can wait for "the server has seen it" instead of sleeping.
/// </summary>
internal sealed class SignallingJobState(JobState inner) : IJobState
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _counts = [];
    private readonly List<(string Key, int Count, TaskCompletionSource Reached)> _waiters = [];

    public CommittedCheckpoint? LatestCommittedCheckpoint => inner.LatestCommittedCheckpoint;

    /// <summary>Completes once <paramref name="count"/> Register calls have been recorded.</summary>
    public Task RegistrationsRecorded(int count) => WaitFor("register", count);

    /// <summary>Completes once <paramref name="count"/> arrivals at barrier <paramref name="name"/> have been recorded.</summary>
    public Task BarrierArrivalsRecorded(string name, int count) => WaitFor("barrier:" + name, count);

    /// <summary>Completes once <paramref name="count"/> heartbeats have been accepted.</summary>
    public Task HeartbeatsAccepted(int count) => WaitFor("heartbeat", count);

    public Task<RankAssignment> RegisterAsync(WorkerRegistration registration, CancellationToken cancellation)
    {
        var task = inner.RegisterAsync(registration, cancellation);
        Count("register");
        return task;
    }

    public Task<int> ArriveAtBarrierAsync(long generation, string name, int rank, CancellationToken cancellation)
    {
        var task = inner.ArriveAtBarrierAsync(generation, name, rank, cancellation);
        Count("barrier:" + name);
        return task;
    }

    public IReadOnlyList<string> GetPeers(long generation) => inner.GetPeers(generation);

    public EpochAssignment GetEpochPlan(long generation, int epoch, int rank) => inner.GetEpochPlan(generation, epoch, rank);

    public DateTimeOffset Heartbeat(long generation, int rank, long step)
    {
        var expires = inner.Heartbeat(generation, rank, step);
        Count("heartbeat");
        return expires;
    }

    public CheckpointReport ReportCheckpoint(long generation, int rank, long step, string path) =>
        inner.ReportCheckpoint(generation, rank, step, path);

    public JobStatus GetStatus() => inner.GetStatus();

    public bool Complete(long generation, int rank) => inner.Complete(generation, rank);

    private Task WaitFor(string key, int count)
    {
        lock (_lock)
        {
            if (_counts.GetValueOrDefault(key) >= count)
            {
                return Task.CompletedTask;
            }
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((key, count, reached));
            return reached.Task;
        }
    }

    private void Count(string key)
    {
        lock (_lock)
        {
            int now = _counts[key] = _counts.GetValueOrDefault(key) + 1;
            foreach (var waiter in _waiters.Where(w => w.Key == key && w.Count <= now).ToArray())
            {
                waiter.Reached.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }
}
