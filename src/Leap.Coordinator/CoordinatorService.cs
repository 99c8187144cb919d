using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Leap.Contracts.V1;
using Microsoft.Extensions.Options;
using ContractsCheckpoint = Leap.Contracts.V1.CommittedCheckpoint;
using ContractsPhase = Leap.Contracts.V1.JobPhase;

namespace Leap.Coordinator;

/// <summary>
/// The gRPC face of <see cref="IJobState"/>: maps messages, nothing else. Refusals (<see cref="CoordinationException"/>)
/// become status codes in <see cref="CoordinationExceptionInterceptor"/>. Bound by
/// <see cref="Leap.Security.StrictRequestMethodProvider{TService}"/> (not derived from the generated base class) so a
/// request that does not parse answers INVALID_ARGUMENT.
/// </summary>
public sealed class CoordinatorService(IJobState job, IOptions<CoordinatorOptions> options, CoordinatorMetrics metrics)
{
    private readonly CoordinatorOptions _options = options.Value;

    public async Task<RegisterReply> Register(RegisterRequest request, ServerCallContext context)
    {
        var registration = new WorkerRegistration(request.JobId, request.ExpectedWorldSize, request.PeerAddress,
            request.WorkerInstanceId, request.HasRequestedRank ? request.RequestedRank : null);
        var assignment = await job.RegisterAsync(registration, context.CancellationToken).ConfigureAwait(false);
        metrics.Registrations.Inc();
        return new RegisterReply
        {
            Rank = assignment.Rank,
            WorldSize = assignment.WorldSize,
            Generation = assignment.Generation,
            Seed = assignment.Seed,
            HeartbeatInterval = Duration.FromTimeSpan(_options.HeartbeatInterval),
            HeartbeatDeadline = Duration.FromTimeSpan(_options.HeartbeatDeadline),
        };
    }

    public Task<GetPeersReply> GetPeers(GetPeersRequest request, ServerCallContext context)
    {
        var reply = new GetPeersReply { Generation = request.Generation };
        reply.Peers.AddRange(job.GetPeers(request.Generation).Select((address, rank) => new Peer { Rank = rank, Address = address }));
        return Task.FromResult(reply);
    }

    public Task<EpochPlanReply> GetEpochPlan(EpochPlanRequest request, ServerCallContext context)
    {
        var plan = job.GetEpochPlan(request.Generation, request.Epoch, request.Rank);
        return Task.FromResult(new EpochPlanReply
        {
            Seed = plan.Seed,
            Epoch = plan.Epoch,
            SampleCount = plan.SampleCount,
            GlobalBatch = plan.GlobalBatch,
            Rank = plan.Rank,
            WorldSize = plan.WorldSize,
            LocalBatch = plan.LocalBatch,
            StepsPerEpoch = plan.StepsPerEpoch,
        });
    }

    public Task<HeartbeatReply> Heartbeat(HeartbeatRequest request, ServerCallContext context)
    {
        var expires = job.Heartbeat(request.Generation, request.Rank, request.Step);
        metrics.Heartbeats.Inc();
        return Task.FromResult(new HeartbeatReply { LeaseExpiresAt = Timestamp.FromDateTimeOffset(expires) });
    }

    public async Task<BarrierReply> Barrier(BarrierRequest request, ServerCallContext context)
    {
        int arrived = await job.ArriveAtBarrierAsync(request.Generation, request.Name, request.Rank, context.CancellationToken)
            .ConfigureAwait(false);
        return new BarrierReply { Arrived = arrived };
    }

    public Task<ReportCheckpointReply> ReportCheckpoint(ReportCheckpointRequest request, ServerCallContext context)
    {
        var report = job.ReportCheckpoint(request.Generation, request.Rank, request.Step, request.Path);
        return Task.FromResult(new ReportCheckpointReply { Committed = report.Committed, ReportedRanks = report.ReportedRanks });
    }

    public Task<LatestCommittedCheckpointReply> GetLatestCommittedCheckpoint(
        LatestCommittedCheckpointRequest request, ServerCallContext context)
    {
        var latest = job.LatestCommittedCheckpoint;
        return Task.FromResult(new LatestCommittedCheckpointReply { Checkpoint = latest is null ? null : ToMessage(latest) });
    }

    public Task<StatusReply> GetStatus(StatusRequest request, ServerCallContext context)
    {
        var status = job.GetStatus();
        var reply = new StatusReply
        {
            JobId = status.JobId,
            Generation = status.Generation,
            WorldSize = status.WorldSize,
            Phase = status.Phase switch
            {
                JobPhase.Waiting => ContractsPhase.Waiting,
                JobPhase.Running => ContractsPhase.Running,
                JobPhase.Failed => ContractsPhase.Failed,
                JobPhase.Completed => ContractsPhase.Completed,
                _ => ContractsPhase.Unspecified,
            },
            Reason = status.Reason,
            RegisteredWorkers = status.RegisteredWorkers,
            LatestCommitted = status.LatestCommitted is null ? null : ToMessage(status.LatestCommitted),
        };
        reply.Ranks.AddRange(status.Ranks.Select(r => new Contracts.V1.RankStatus
        {
            Rank = r.Rank,
            Address = r.Address,
            LastHeartbeat = Timestamp.FromDateTimeOffset(r.LastHeartbeat),
            Step = r.Step,
            Completed = r.Completed,
        }));
        return Task.FromResult(reply);
    }

    public Task<CompleteReply> Complete(CompleteRequest request, ServerCallContext context) =>
        Task.FromResult(new CompleteReply { JobCompleted = job.Complete(request.Generation, request.Rank) });

    private static ContractsCheckpoint ToMessage(CommittedCheckpoint checkpoint)
    {
        var message = new ContractsCheckpoint
        {
            Step = checkpoint.Step,
            Generation = checkpoint.Generation,
            WorldSize = checkpoint.WorldSize,
            CommittedAt = Timestamp.FromDateTimeOffset(checkpoint.CommittedAt),
        };
        message.Paths.AddRange(checkpoint.Paths);
        return message;
    }
}
