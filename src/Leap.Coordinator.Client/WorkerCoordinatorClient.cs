using Grpc.Core;
using Leap.Contracts.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using ContractsCheckpoint = Leap.Contracts.V1.CommittedCheckpoint;

namespace Leap.Coordinator.Client;

/// <summary>
/// What a worker uses to talk to the coordinator. Every call has a deadline and is retried with exponential backoff
/// and jitter (bounded attempts) when the coordinator is unavailable or the deadline passed. Retrying is safe because
/// every RPC is idempotent by key: Register by the instance id (fixed for this client's lifetime), Barrier by
/// (generation, name, rank), ReportCheckpoint by (generation, rank, step), Complete by (generation, rank).
/// FAILED_PRECONDITION (the generation ended) and INVALID_ARGUMENT are never retried: they surface as RpcException.
/// </summary>
public sealed partial class WorkerCoordinatorClient
{
    private readonly Contracts.V1.Coordinator.CoordinatorClient _client;
    private readonly CoordinatorClientOptions _options;
    private readonly ResiliencePipeline _retry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public WorkerCoordinatorClient(CallInvoker callInvoker, CoordinatorClientOptions? options = null,
        TimeProvider? time = null, ILogger<WorkerCoordinatorClient>? logger = null, string? instanceId = null)
    {
        ArgumentNullException.ThrowIfNull(callInvoker);
        _client = new Contracts.V1.Coordinator.CoordinatorClient(callInvoker);
        _options = options ?? new CoordinatorClientOptions();
        _options.Validate();
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger<WorkerCoordinatorClient>.Instance;
        InstanceId = instanceId ?? Guid.NewGuid().ToString("N");
        _retry = _options.MaxAttempts == 1 ? ResiliencePipeline.Empty : BuildRetryPipeline();
    }

    /// <summary>Identifies this worker process to the coordinator; a new client (process restart) gets a new one.</summary>
    public string InstanceId { get; }

    /// <summary>Joins the job; returns once every worker registered and ranks are assigned.</summary>
    public Task<RegisterReply> RegisterAsync(string jobId, int expectedWorldSize, string peerAddress, int? requestedRank = null,
        CancellationToken cancellation = default)
    {
        var request = new RegisterRequest
        {
            JobId = jobId,
            ExpectedWorldSize = expectedWorldSize,
            PeerAddress = peerAddress,
            WorkerInstanceId = InstanceId,
        };
        if (requestedRank is int rank)
        {
            request.RequestedRank = rank;
        }
        return CallAsync((deadline, ct) => _client.RegisterAsync(request, deadline: deadline, cancellationToken: ct),
            _options.RegistrationTimeout, cancellation);
    }

    /// <summary>Peer addresses (host:port) indexed by rank.</summary>
    public async Task<IReadOnlyList<string>> GetPeersAsync(long generation, CancellationToken cancellation = default)
    {
        var reply = await CallAsync((deadline, ct) => _client.GetPeersAsync(new GetPeersRequest { Generation = generation },
            deadline: deadline, cancellationToken: ct), _options.CallTimeout, cancellation).ConfigureAwait(false);
        return reply.Peers.OrderBy(p => p.Rank).Select(p => p.Address).ToArray();
    }

    public Task<EpochPlanReply> GetEpochPlanAsync(long generation, int epoch, int rank, CancellationToken cancellation = default) =>
        CallAsync((deadline, ct) => _client.GetEpochPlanAsync(
            new EpochPlanRequest { Generation = generation, Epoch = epoch, Rank = rank }, deadline: deadline, cancellationToken: ct),
            _options.CallTimeout, cancellation);

    public Task<HeartbeatReply> HeartbeatAsync(long generation, int rank, long step, CancellationToken cancellation = default) =>
        CallAsync((deadline, ct) => _client.HeartbeatAsync(
            new HeartbeatRequest { Generation = generation, Rank = rank, Step = step }, deadline: deadline, cancellationToken: ct),
            _options.CallTimeout, cancellation);

    /// <summary>Returns when every rank arrived at <paramref name="name"/> (unique per use within a generation).</summary>
    public async Task BarrierAsync(long generation, string name, int rank, CancellationToken cancellation = default) =>
        await CallAsync((deadline, ct) => _client.BarrierAsync(
            new BarrierRequest { Generation = generation, Name = name, Rank = rank }, deadline: deadline, cancellationToken: ct),
            _options.BarrierTimeout, cancellation).ConfigureAwait(false);

    /// <summary>Reports this rank's part of the checkpoint of <paramref name="step"/>; true once every rank did.</summary>
    public async Task<bool> ReportCheckpointAsync(long generation, int rank, long step, string path,
        CancellationToken cancellation = default)
    {
        var reply = await CallAsync((deadline, ct) => _client.ReportCheckpointAsync(
            new ReportCheckpointRequest { Generation = generation, Rank = rank, Step = step, Path = path },
            deadline: deadline, cancellationToken: ct), _options.CallTimeout, cancellation).ConfigureAwait(false);
        return reply.Committed;
    }

    /// <summary>The job's latest committed checkpoint, or null when none was ever committed.</summary>
    public async Task<ContractsCheckpoint?> GetLatestCommittedCheckpointAsync(CancellationToken cancellation = default)
    {
        var reply = await CallAsync((deadline, ct) => _client.GetLatestCommittedCheckpointAsync(
            new LatestCommittedCheckpointRequest(), deadline: deadline, cancellationToken: ct), _options.CallTimeout, cancellation)
            .ConfigureAwait(false);
        return reply.Checkpoint;
    }

    public Task<StatusReply> GetStatusAsync(CancellationToken cancellation = default) =>
        CallAsync((deadline, ct) => _client.GetStatusAsync(new StatusRequest(), deadline: deadline, cancellationToken: ct),
            _options.CallTimeout, cancellation);

    /// <summary>Marks this rank finished; true once the whole job is completed.</summary>
    public async Task<bool> CompleteAsync(long generation, int rank, CancellationToken cancellation = default)
    {
        var reply = await CallAsync((deadline, ct) => _client.CompleteAsync(
            new CompleteRequest { Generation = generation, Rank = rank }, deadline: deadline, cancellationToken: ct),
            _options.CallTimeout, cancellation).ConfigureAwait(false);
        return reply.JobCompleted;
    }

    /// <summary>
    /// Sends a heartbeat now and then every <paramref name="interval"/> (a periodic timer on the client's clock; a
    /// heartbeat that runs late does not shift the ones after it), with the step <paramref name="currentStep"/> returns,
    /// until <paramref name="cancellation"/> fires (returns normally) or the coordinator refuses (throws RpcException;
    /// FAILED_PRECONDITION means the generation ended and the worker must register again).
    /// </summary>
    public async Task RunHeartbeatsAsync(long generation, int rank, Func<long> currentStep, TimeSpan interval,
        CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(currentStep);
        using var timer = new PeriodicTimer(interval, _time);
        try
        {
            do
            {
                await HeartbeatAsync(generation, rank, currentStep(), cancellation).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(cancellation).ConfigureAwait(false));
        }
        catch (Exception e) when (cancellation.IsCancellationRequested
            && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            // Stopped by the caller.
        }
    }

    private async Task<T> CallAsync<T>(Func<DateTime, CancellationToken, AsyncUnaryCall<T>> call, TimeSpan timeout,
        CancellationToken cancellation) =>
        await _retry.ExecuteAsync(
            async ct => await call(DateTime.UtcNow + timeout, ct).ResponseAsync.ConfigureAwait(false),
            cancellation).ConfigureAwait(false);

    private ResiliencePipeline BuildRetryPipeline() =>
        new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<RpcException>(IsTransient),
                MaxRetryAttempts = _options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryBaseDelay,
                MaxDelay = _options.RetryMaxDelay,
                OnRetry = args =>
                {
                    LogRetry(args.AttemptNumber + 1, _options.MaxAttempts, args.RetryDelay, args.Outcome.Exception?.Message);
                    return default;
                },
            })
            .Build();

    /// <summary>
    /// Unavailable and DeadlineExceeded, and an Internal that the client library raised while starting the call
    /// ("Error starting gRPC call": the HTTP/2 stream was torn down under it, e.g. by a deadline firing as the response
    /// arrived) — transport failures, never a coordinator decision. Every call is safe to repeat: the coordinator
    /// de-duplicates them by their ids.
    /// </summary>
    private static bool IsTransient(RpcException e) =>
        e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded
        || (e.StatusCode == StatusCode.Internal && e.Status.Detail.StartsWith("Error starting gRPC call", StringComparison.Ordinal));

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning,
        Message = "Coordinator call attempt {Attempt} of {MaxAttempts} failed, retrying in {Delay}: {Error}")]
    private partial void LogRetry(int attempt, int maxAttempts, TimeSpan delay, string? error);
}
