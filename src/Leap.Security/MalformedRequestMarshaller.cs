using Google.Protobuf;
using Grpc.Core;

namespace Leap.Security;

/// <summary>
/// Wraps a request marshaller so a message that does not parse fails with INVALID_ARGUMENT naming the message type
/// (grpc-dotnet parses the request before any interceptor runs and reports a parse failure as UNKNOWN).
/// </summary>
public static class MalformedRequestMarshaller
{
    public static Marshaller<T> Wrap<T>(Marshaller<T> inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        return Marshallers.Create(inner.ContextualSerializer, context =>
        {
            try
            {
                return inner.ContextualDeserializer(context);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"malformed {typeof(T).Name}: {e.Message}"));
            }
        });
    }
}
