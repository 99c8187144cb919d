using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace Leap.CentreService;

/// <summary>
/// Turns <see cref="CentreStoreException"/> into the matching gRPC status, with the exception's message, and a disk
/// error of the state directory (<see cref="IOException"/>, <see cref="UnauthorizedAccessException"/>, also inside a
/// store exception) into RESOURCE_EXHAUSTED (disk full) or UNAVAILABLE (<see cref="DiskErrorStatus"/>).
/// </summary>
public sealed partial class CentreStoreExceptionInterceptor(ILogger<CentreStoreExceptionInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (Exception e) when (e is CentreStoreException || DiskErrorStatus.Find(e) is not null)
        {
            throw ToRpc(e, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
        }
        catch (Exception e) when (e is CentreStoreException || DiskErrorStatus.Find(e) is not null)
        {
            throw ToRpc(e, context);
        }
    }

    [LoggerMessage(EventId = 320, Level = LogLevel.Error, Message = "{Method} failed on the state directory: {Status}")]
    private partial void LogDiskError(string method, StatusCode status, Exception error);

    private RpcException ToRpc(Exception e, ServerCallContext context)
    {
        var disk = DiskErrorStatus.Find(e);
        if (e is CentreStoreException store)
        {
            // The store already classified its own disk errors: a full disk it can recover from is RESOURCE_EXHAUSTED,
            // while a log that failed earlier (say, an fsync on a full disk) stays UNAVAILABLE until a restart, even
            // when its cause was ENOSPC: freeing space alone does not help.
            var code = store.Error switch
            {
                CentreStoreError.InvalidArgument => StatusCode.InvalidArgument,
                CentreStoreError.FailedPrecondition => StatusCode.FailedPrecondition,
                CentreStoreError.ResourceExhausted => StatusCode.ResourceExhausted,
                _ => StatusCode.Unavailable,
            };
            if (disk is not null)
            {
                LogDiskError(context.Method, code, disk);
            }
            return new RpcException(new Status(code, store.Message));
        }
        var status = DiskErrorStatus.For(disk!);
        LogDiskError(context.Method, status.StatusCode, disk!);
        return new RpcException(status);
    }
}
