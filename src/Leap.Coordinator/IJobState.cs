namespace Leap.Coordinator;

/// <summary>
/// The state of the one job a coordinator runs: generations of ranks, leases, barriers and checkpoint commits.
/// Requests it refuses throw <see cref="CoordinationException"/>. Every operation is idempotent (see coordinator.proto).
/// </summary>
public interface IJobState
{
    /// <summary>Joins the forming generation and waits until it has every rank; cancelling withdraws the registration.</summary>
    Task<RankAssignment> RegisterAsync(WorkerRegistration registration, CancellationToken cancellation);

    /// <summary>Peer addresses of a generation, indexed by rank.</summary>
    IReadOnlyList<string> GetPeers(long generation);

    EpochAssignment GetEpochPlan(long generation, int epoch, int rank);

    /// <summary>Renews the rank's lease and returns when it now expires.</summary>
    DateTimeOffset Heartbeat(long generation, int rank, long step);

    /// <summary>Completes when every rank arrived at the barrier <paramref name="name"/>; returns the number of ranks.</summary>
    Task<int> ArriveAtBarrierAsync(long generation, string name, int rank, CancellationToken cancellation);

    CheckpointReport ReportCheckpoint(long generation, int rank, long step, string path);

    /// <summary>The most recently committed checkpoint, across generations and restarts; null when there is none.</summary>
    CommittedCheckpoint? LatestCommittedCheckpoint { get; }

    JobStatus GetStatus();

    /// <summary>Marks the rank finished; returns whether the whole job is now completed.</summary>
    bool Complete(long generation, int rank);
}
