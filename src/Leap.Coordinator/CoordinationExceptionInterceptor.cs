using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Leap.Coordinator;

/// <summary>Turns <see cref="CoordinationException"/> into the matching gRPC status, with the exception's message.</summary>
public sealed class CoordinationExceptionInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (CoordinationException e)
        {
            var code = e.Error == CoordinationError.InvalidArgument ? StatusCode.InvalidArgument : StatusCode.FailedPrecondition;
            throw new RpcException(new Status(code, e.Message));
        }
    }
}
