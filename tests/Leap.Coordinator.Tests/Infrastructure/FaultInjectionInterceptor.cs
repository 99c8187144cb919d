using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Leap.Coordinator.Tests.Infrastructure;

/// <summary>
/// Server interceptor that counts calls per method and fails chosen calls with UNAVAILABLE, either before the
/// service runs (the coordinator was unreachable) or after it ran (the reply was lost).
/// </summary>
internal sealed class FaultInjectionInterceptor : Interceptor
{
    private readonly ConcurrentDictionary<string, int> _calls = new();
    private readonly ConcurrentDictionary<string, (int Count, bool AfterHandling)> _faults = new();

    /// <summary>The next <paramref name="count"/> calls of <paramref name="method"/> (e.g. "Heartbeat") fail.</summary>
    public void Fail(string method, int count, bool afterHandling) => _faults[method] = (count, afterHandling);

    public int Calls(string method) => _calls.GetValueOrDefault(method);

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        string method = context.Method[(context.Method.LastIndexOf('/') + 1)..];
        _calls.AddOrUpdate(method, 1, (_, n) => n + 1);
        bool fail = false, afterHandling = false;
        _faults.AddOrUpdate(method, _ => (0, false), (_, fault) =>
        {
            fail = fault.Count > 0;
            afterHandling = fault.AfterHandling;
            return (Math.Max(0, fault.Count - 1), fault.AfterHandling);
        });
        if (fail && !afterHandling)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"injected: {method} before handling"));
        }
        var response = await continuation(request, context);
        if (fail)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"injected: {method} reply lost"));
        }
        return response;
    }
}
