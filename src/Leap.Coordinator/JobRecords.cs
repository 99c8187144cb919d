namespace Leap.Coordinator;

/// <summary>A worker asking to join the job.</summary>
/// <param name="InstanceId">Unique per worker process start; a retry of the same registration reuses it.</param>
public sealed record WorkerRegistration(
    string JobId, int ExpectedWorldSize, string PeerAddress, string InstanceId, int? RequestedRank = null)
{
    /// <summary>Everything wrong with this registration for a job <paramref name="jobId"/> of <paramref name="worldSize"/> ranks.</summary>
    public IReadOnlyList<string> FindProblems(string jobId, int worldSize)
    {
        var problems = new List<string?>
        {
            CoordinatorRequestLimits.TooLong("job_id", JobId, CoordinatorRequestLimits.MaxIdLength),
            CoordinatorRequestLimits.TooLong("worker_instance_id", InstanceId, CoordinatorRequestLimits.MaxIdLength),
            CoordinatorRequestLimits.TooLong("peer_address", PeerAddress, CoordinatorRequestLimits.MaxPeerAddressLength),
        }.OfType<string>().ToList();
        if (problems.Count > 0)
        {
            return problems;
        }
        if (JobId != jobId)
        {
            problems.Add($"job id '{JobId}' is not this coordinator's job '{jobId}'");
        }
        if (ExpectedWorldSize != worldSize)
        {
            problems.Add($"expected world size {ExpectedWorldSize} differs from the job's {worldSize}");
        }
        int colon = PeerAddress.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(PeerAddress.AsSpan(colon + 1), out int port) || port is < 1 or > 65535)
        {
            problems.Add($"peer address must be host:port (was '{PeerAddress}')");
        }
        if (string.IsNullOrWhiteSpace(InstanceId))
        {
            problems.Add("worker instance id must not be empty");
        }
        return problems;
    }
}

/// <summary>The rank a worker holds in a generation.</summary>
public sealed record RankAssignment(int Rank, int WorldSize, long Generation, long Seed);

/// <summary>
/// What a rank needs to compute its samples of an epoch (DistributedSampler semantics, as Leap.Training.Data.EpochPlan):
/// the epoch's order is a permutation of [0, SampleCount) keyed by (Seed, Epoch); step s of the epoch covers positions
/// [s * GlobalBatch, (s + 1) * GlobalBatch) and rank r takes [r * LocalBatch, (r + 1) * LocalBatch) of them.
/// </summary>
public sealed record EpochAssignment(
    long Seed, int Epoch, long SampleCount, int GlobalBatch, int Rank, int WorldSize, int LocalBatch, long StepsPerEpoch);

/// <summary>A checkpoint every rank of <paramref name="Generation"/> reported; <paramref name="Paths"/> is indexed by rank.</summary>
public sealed record CommittedCheckpoint(
    long Step, long Generation, int WorldSize, IReadOnlyList<string> Paths, DateTimeOffset CommittedAt);

/// <summary>The outcome of one rank's checkpoint report.</summary>
public sealed record CheckpointReport(bool Committed, int ReportedRanks);

public enum JobPhase
{
    /// <summary>The current generation is forming: waiting for registrations.</summary>
    Waiting,
    Running,
    /// <summary>The current generation ended abnormally; the next registration forms a new one.</summary>
    Failed,
    Completed,
}

public sealed record RankStatus(int Rank, string Address, DateTimeOffset LastHeartbeat, long Step, bool Completed);

public sealed record JobStatus(
    string JobId,
    long Generation,
    int WorldSize,
    JobPhase Phase,
    string Reason,
    IReadOnlyList<RankStatus> Ranks,
    int RegisteredWorkers,
    CommittedCheckpoint? LatestCommitted);
