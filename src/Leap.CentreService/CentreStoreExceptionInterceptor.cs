using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Leap.CentreService;

/// <summary>Turns <see cref="CentreStoreException"/> into the matching gRPC status, with the exception's message.</summary>
public sealed class CentreStoreExceptionInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (CentreStoreException e)
        {
            throw ToRpc(e);
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
        catch (CentreStoreException e)
        {
            throw ToRpc(e);
        }
    }

    private static RpcException ToRpc(CentreStoreException e) => new(new Status(e.Error switch
    {
        CentreStoreError.InvalidArgument => StatusCode.InvalidArgument,
        CentreStoreError.FailedPrecondition => StatusCode.FailedPrecondition,
        CentreStoreError.ResourceExhausted => StatusCode.ResourceExhausted,
        _ => StatusCode.Unavailable,
    }, e.Message));
}
