using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Leap.Security;

/// <summary>
/// Server side of the shared token: every call must carry <c>authorization: Bearer &lt;token&gt;</c>. No header (or not a
/// bearer one) fails with UNAUTHENTICATED, a different token with PERMISSION_DENIED; either way the service method never
/// runs, so nothing changes. The standard gRPC health service (<see cref="OpenServicePrefix"/>) stays open: Kubernetes
/// probes cannot send a token, and it reveals nothing but "serving". A null token (Auth:Disabled) lets everything through.
/// </summary>
public sealed partial class SharedTokenAuthInterceptor : Interceptor
{
    /// <summary>Methods under this prefix (grpc.health.v1.Health/Check and Watch) need no token.</summary>
    public const string OpenServicePrefix = "/grpc.health.v1.Health/";

    private const string Scheme = "Bearer ";
    private readonly SharedToken? _token;
    private readonly ILogger _logger;

    public SharedTokenAuthInterceptor(SharedToken? token, ILogger<SharedTokenAuthInterceptor>? logger = null)
    {
        _token = token;
        _logger = logger ?? NullLogger<SharedTokenAuthInterceptor>.Instance;
    }

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Authorize(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Authorize(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Authorize(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Authorize(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Authorize(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_token is null || context.Method.StartsWith(OpenServicePrefix, StringComparison.Ordinal))
        {
            return;
        }
        string? header = context.RequestHeaders.GetValue("authorization");
        if (header is null || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            LogMissing(context.Method, context.Peer);
            throw new RpcException(new Status(StatusCode.Unauthenticated,
                $"This service requires the job's shared token (authorization: Bearer; set {AuthEnvironment.Token} or {AuthEnvironment.TokenFile})."));
        }
        if (!_token.Matches(header.AsSpan(Scheme.Length).Trim()))
        {
            LogWrong(context.Method, context.Peer);
            throw new RpcException(new Status(StatusCode.PermissionDenied, "The shared token does not match this job's."));
        }
    }

    [LoggerMessage(EventId = 900, Level = LogLevel.Warning, Message = "Refused {Method} from {Peer}: no shared token")]
    private partial void LogMissing(string method, string peer);

    [LoggerMessage(EventId = 901, Level = LogLevel.Warning, Message = "Refused {Method} from {Peer}: wrong shared token")]
    private partial void LogWrong(string method, string peer);
}
