using Leap.Collectives.Ring;
using Leap.Collectives.Ring.Tcp;
using Microsoft.Extensions.Logging;

namespace Leap.Collectives;

/// <summary>
/// N ranks of a real ring in one process, on 127.0.0.1 ports chosen by the OS: real servers or listeners, real
/// connections. For tests and single-box benchmarks.
/// </summary>
public static class LoopbackRing
{
    /// <summary>A gRPC ring of ranks 0..worldSize-1; <paramref name="configure"/> adjusts each rank's options (chunk size, timeouts).</summary>
    public static async Task<IReadOnlyList<GrpcRingCollectives>> StartAsync(int worldSize, Action<RingOptions>? configure = null,
        ILoggerFactory? loggerFactory = null, CancellationToken cancellation = default) =>
        (await StartAsync(RingTransport.Grpc, worldSize, configure, loggerFactory, cancellation).ConfigureAwait(false)).Cast<GrpcRingCollectives>().ToList();

    /// <summary>A ring of ranks 0..worldSize-1 over <paramref name="transport"/>.</summary>
    public static async Task<IReadOnlyList<RingCollectives>> StartAsync(RingTransport transport, int worldSize, Action<RingOptions>? configure = null,
        ILoggerFactory? loggerFactory = null, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        var probe = new RingOptions();
        configure?.Invoke(probe);
        var loopback = new RingAddress("127.0.0.1", 0);
        var listeners = new List<IAsyncDisposable>();
        try
        {
            var ports = new List<int>();
            for (var r = 0; r < worldSize; r++)
            {
                if (transport == RingTransport.Grpc)
                {
                    var server = await RingPeerServer.StartAsync(loopback, probe.ChunkBytes, probe.KeepAliveInterval, probe.Token, loggerFactory, cancellation).ConfigureAwait(false);
                    listeners.Add(server);
                    ports.Add(server.Port);
                }
                else
                {
                    var listener = TcpRingListener.Start(loopback);
                    listeners.Add(listener);
                    ports.Add(listener.Port);
                }
            }

            var addresses = ports.Select(p => $"127.0.0.1:{p}").ToList();
            return await Task.WhenAll(listeners.Select((listener, r) =>
            {
                var options = new RingOptions { Addresses = addresses, Rank = r };
                configure?.Invoke(options);
                options.Addresses = addresses;
                options.Rank = r;
                return listener is RingPeerServer server
                    ? Connect(GrpcRingCollectives.ConnectAsync(options, server, loggerFactory, cancellation))
                    : Connect(TcpRingCollectives.ConnectAsync(options, (TcpRingListener)listener, loggerFactory, cancellation));
            })).ConfigureAwait(false);
        }
        catch
        {
            foreach (var listener in listeners)
            {
                await listener.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    private static async Task<RingCollectives> Connect<T>(Task<T> connecting)
        where T : RingCollectives => await connecting.ConfigureAwait(false);
}
