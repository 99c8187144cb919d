namespace Leap.Coordinator;

/// <summary>
/// One incarnation of the job: the workers registered for it, then (once it runs) its ranks with their leases, its
/// barriers and its checkpoint reports. Not thread-safe: <see cref="JobState"/> guards every access with its lock.
/// </summary>
internal sealed class Generation(long number, int worldSize)
{
    private readonly TaskCompletionSource _formed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Number { get; } = number;
    public int WorldSize { get; } = worldSize;
    public JobPhase Phase { get; private set; } = JobPhase.Waiting;
    public string Reason { get; private set; } = "";

    /// <summary>Registrations in arrival order while the generation forms.</summary>
    public List<WorkerRegistration> Pending { get; } = [];

    /// <summary>Indexed by rank once the generation runs.</summary>
    public RankSlot[] Ranks { get; private set; } = [];

    public Dictionary<string, BarrierState> Barriers { get; } = new(StringComparer.Ordinal);

    /// <summary>Step -> reported path per rank (null until that rank reports).</summary>
    public Dictionary<long, string?[]> CheckpointReports { get; } = [];

    /// <summary>Completes when ranks are assigned.</summary>
    public Task Formed => _formed.Task;

    public bool IsLive => Phase is JobPhase.Running or JobPhase.Completed;

    /// <summary>The slot of <paramref name="rank"/>; a rank outside [0, WorldSize) is an invalid argument.</summary>
    public RankSlot Slot(int rank)
    {
        if (rank < 0 || rank >= WorldSize)
        {
            throw new CoordinationException(CoordinationError.InvalidArgument, $"rank must be between 0 and {WorldSize - 1} (was {rank})");
        }
        return Ranks[rank];
    }

    public RankSlot? FindByInstance(string instanceId) => Array.Find(Ranks, r => r.InstanceId == instanceId);

    /// <summary>
    /// Assigns ranks: first every requested rank that is in range and still free (in arrival order), then the lowest
    /// free rank to everyone else (in arrival order).
    /// </summary>
    public void Start(DateTimeOffset now)
    {
        var owners = new WorkerRegistration?[WorldSize];
        var unplaced = new List<WorkerRegistration>();
        foreach (var registration in Pending)
        {
            if (registration.RequestedRank is int wanted && wanted >= 0 && wanted < WorldSize && owners[wanted] is null)
            {
                owners[wanted] = registration;
            }
            else
            {
                unplaced.Add(registration);
            }
        }
        int next = 0;
        foreach (var registration in unplaced)
        {
            while (owners[next] is not null)
            {
                next++;
            }
            owners[next] = registration;
        }
        Ranks = owners.Select((r, rank) => new RankSlot(rank, r!.InstanceId, r.PeerAddress, now)).ToArray();
        Pending.Clear();
        Phase = JobPhase.Running;
        _formed.TrySetResult();
    }

    /// <summary>Ends a running generation: leases stop, waiting barriers fail with <paramref name="failure"/>.</summary>
    public void Fail(string reason, CoordinationException failure)
    {
        Phase = JobPhase.Failed;
        Reason = reason;
        foreach (var slot in Ranks)
        {
            slot.StopLease();
        }
        foreach (var barrier in Barriers.Values)
        {
            barrier.Released.TrySetException(failure);
        }
    }

    public void MarkCompleted()
    {
        Phase = JobPhase.Completed;
        Reason = "every rank completed";
    }
}

/// <summary>One rank of a running generation.</summary>
internal sealed class RankSlot(int rank, string instanceId, string address, DateTimeOffset now)
{
    private ITimer? _lease;

    public int Rank { get; } = rank;
    public string InstanceId { get; } = instanceId;
    public string Address { get; } = address;
    public DateTimeOffset LastHeartbeat { get; set; } = now;
    public long Step { get; set; }
    public bool Completed { get; set; }

    /// <summary>(Re)arms the lease timer: <paramref name="onExpired"/> runs once after <paramref name="deadline"/>.</summary>
    public void RenewLease(TimeProvider time, TimeSpan deadline, TimerCallback onExpired, object state)
    {
        if (_lease is null)
        {
            _lease = time.CreateTimer(onExpired, state, deadline, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _lease.Change(deadline, Timeout.InfiniteTimeSpan);
        }
    }

    public void StopLease()
    {
        _lease?.Dispose();
        _lease = null;
    }

    public RankStatus ToStatus() => new(Rank, Address, LastHeartbeat, Step, Completed);
}

/// <summary>Ranks that arrived at one named barrier of a generation.</summary>
internal sealed class BarrierState
{
    public HashSet<int> Arrived { get; } = [];
    public TaskCompletionSource<int> Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
