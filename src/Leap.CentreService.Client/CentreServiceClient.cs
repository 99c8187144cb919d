using Grpc.Core;
using Grpc.Net.Client;
using Leap.Contracts.V1;
using Polly;
using Polly.Retry;
using static TorchSharp.torch;
using Proto = Leap.Contracts.V1.CentreService;

namespace Leap.CentreService.Client;

/// <summary>
/// What a worker uses: Initialise, Push (a fresh request id per push, reused by every retry so the service applies
/// it once) and the statistics queries. Transient failures (UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED,
/// ABORTED) are retried with exponential back-off; each attempt has its own deadline.
/// </summary>
public sealed class CentreServiceClient
{
    private readonly Proto.CentreServiceClient _client;
    private readonly ResiliencePipeline _retry;
    private readonly TimeSpan _attemptTimeout;

    public CentreServiceClient(CallInvoker invoker, int maxRetries = 5, TimeSpan? attemptTimeout = null, TimeSpan? firstBackoff = null)
    {
        _client = new Proto.CentreServiceClient(invoker);
        _attemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(60);
        _retry = maxRetries <= 0 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<RpcException>(e => e.StatusCode is StatusCode.Unavailable
                or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted or StatusCode.Aborted),
            MaxRetryAttempts = maxRetries,
            BackoffType = DelayBackoffType.Exponential,
            Delay = firstBackoff ?? TimeSpan.FromMilliseconds(100),
            UseJitter = true,
        }).Build();
    }

    public CentreServiceClient(GrpcChannel channel, int maxRetries = 5, TimeSpan? attemptTimeout = null)
        : this((channel ?? throw new ArgumentNullException(nameof(channel))).CreateCallInvoker(), maxRetries, attemptTimeout)
    {
    }

    /// <summary>The generated client, for calls this class does not wrap (WatchSummary, GetCentres).</summary>
    public Proto.CentreServiceClient Raw => _client;

    public async Task<InitialiseReply> InitialiseAsync(CentreLayout layout, CancellationToken cancellationToken = default)
    {
        var request = layout.ToRequest();
        return await _retry.ExecuteAsync(async ct => await _client.InitialiseAsync(request, Options(ct)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends one push under a new request id; retries reuse it.</summary>
    public Task<PushReply> PushAsync(Tensor features, Tensor labels, long step, CancellationToken cancellationToken = default) =>
        PushAsync(new PushRequest
        {
            RequestId = Guid.NewGuid().ToString("N"),
            Step = step,
            Features = TensorBytesCodec.FromTensor(features),
            Labels = TensorBytesCodec.FromTensor(labels),
        }, cancellationToken);

    /// <summary>Sends a prepared push (its request id must be set); retries resend it unchanged.</summary>
    public async Task<PushReply> PushAsync(PushRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.RequestId, nameof(request));
        return await _retry.ExecuteAsync(async ct => await _client.PushAsync(request, Options(ct)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>sigma_i^2, alpha std and counts of the given classes (all when none are given) and sigma^2.</summary>
    public async Task<CloudStatisticsReply> GetCloudStatisticsAsync(IEnumerable<int>? classIds = null, CancellationToken cancellationToken = default)
    {
        var request = new CloudStatisticsRequest();
        request.ClassIds.AddRange(classIds ?? []);
        return await _retry.ExecuteAsync(async ct => await _client.GetCloudStatisticsAsync(request, Options(ct)), cancellationToken).ConfigureAwait(false);
    }

    public async Task<ClassStatisticsReply> GetClassStatisticsAsync(IEnumerable<int> classIds, CancellationToken cancellationToken = default)
    {
        var request = new ClassStatisticsRequest();
        request.ClassIds.AddRange(classIds);
        return await _retry.ExecuteAsync(async ct => await _client.GetClassStatisticsAsync(request, Options(ct)), cancellationToken).ConfigureAwait(false);
    }

    public async Task<SummaryReply> GetSummaryAsync(SummaryRequest? request = null, CancellationToken cancellationToken = default)
    {
        request ??= new SummaryRequest();
        return await _retry.ExecuteAsync(async ct => await _client.GetSummaryAsync(request, Options(ct)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Centres [n, D] (float64, row-major) of the given classes (all when none are given).</summary>
    public async Task<(int[] ClassIds, double[] Values, bool[] Initialised)> GetCentresAsync(IEnumerable<int>? classIds = null, CancellationToken cancellationToken = default)
    {
        var request = new CentresRequest();
        request.ClassIds.AddRange(classIds ?? []);
        var reply = await _retry.ExecuteAsync(async ct => await _client.GetCentresAsync(request, Options(ct)), cancellationToken).ConfigureAwait(false);
        return (reply.ClassIds.ToArray(), TensorBytesCodec.ToDoubles(reply.Centres), reply.Initialised.ToArray());
    }

    private CallOptions Options(CancellationToken cancellationToken) =>
        new(deadline: DateTime.UtcNow + _attemptTimeout, cancellationToken: cancellationToken);
}
