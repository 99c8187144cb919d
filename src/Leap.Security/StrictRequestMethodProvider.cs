using System.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace Leap.Security;

/// <summary>
/// Binds the methods of a generated gRPC service definition to <typeparamref name="TService"/> with request marshallers
/// that answer INVALID_ARGUMENT for a message that does not parse (<see cref="MalformedRequestMarshaller"/>).
/// <typeparamref name="TService"/> must not derive from the generated base class (grpc-dotnet would bind it a second time
/// with the plain marshallers); it implements each RPC as a public instance method with the generated signature, e.g.
/// <c>Task&lt;Reply&gt; Name(Request, ServerCallContext)</c>. Register with
/// <c>services.AddSingleton&lt;IServiceMethodProvider&lt;TService&gt;&gt;(new StrictRequestMethodProvider&lt;TService&gt;(b =&gt; Generated.BindService(b, null)))</c>.
/// </summary>
public sealed class StrictRequestMethodProvider<TService>(Action<ServiceBinderBase> bindService) : IServiceMethodProvider<TService>
    where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        bindService(new Binder(context));
    }

    private sealed class Binder(ServiceMethodProviderContext<TService> context) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            var implementation = Find(method, typeof(TRequest), typeof(ServerCallContext));
            context.AddUnaryMethod(Strict(method), Metadata(implementation),
                implementation.CreateDelegate<UnaryServerMethod<TService, TRequest, TResponse>>());
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var implementation = Find(method, typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
            context.AddServerStreamingMethod(Strict(method), Metadata(implementation),
                implementation.CreateDelegate<ServerStreamingServerMethod<TService, TRequest, TResponse>>());
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
            throw new NotSupportedException($"{method.FullName}: client streaming methods read their messages through the stream reader, not one request; bind them with the generated base class.");

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            throw new NotSupportedException($"{method.FullName}: duplex streaming methods read their messages through the stream reader, not one request; bind them with the generated base class.");

        private static Method<TRequest, TResponse> Strict<TRequest, TResponse>(Method<TRequest, TResponse> method) =>
            new(method.Type, method.ServiceName, method.Name, MalformedRequestMarshaller.Wrap(method.RequestMarshaller), method.ResponseMarshaller);

        private static MethodInfo Find(IMethod method, params Type[] parameters) =>
            typeof(TService).GetMethod(method.Name, BindingFlags.Public | BindingFlags.Instance, parameters)
            ?? throw new InvalidOperationException(
                $"{typeof(TService).Name} does not implement {method.FullName}: expected a public method {method.Name}({string.Join(", ", parameters.Select(p => p.Name))}).");

        private static List<object> Metadata(MethodInfo implementation) =>
            [.. typeof(TService).GetCustomAttributes(inherit: true), .. implementation.GetCustomAttributes(inherit: true)];
    }
}
