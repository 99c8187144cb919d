using Leap.Collectives.Ring;
using Microsoft.Extensions.Logging;

namespace Leap.Collectives;

/// <summary>
/// N ranks of a real <see cref="GrpcRingCollectives"/> ring in one process, on 127.0.0.1 ports chosen by the OS:
/// real Kestrel servers, real channels. For tests and single-box benchmarks.
/// </summary>
public static class LoopbackRing
{
    /// <summary>Starts the ranks 0..worldSize-1; <paramref name="configure"/> adjusts each rank's options (chunk size, timeouts).</summary>
    public static async Task<IReadOnlyList<GrpcRingCollectives>> StartAsync(int worldSize, Action<RingOptions>? configure = null,
        ILoggerFactory? loggerFactory = null, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        var probe = new RingOptions();
        configure?.Invoke(probe);
        var servers = new List<RingPeerServer>();
        try
        {
            for (var r = 0; r < worldSize; r++)
            {
                servers.Add(await RingPeerServer.StartAsync(new RingAddress("127.0.0.1", 0), probe.ChunkBytes, probe.KeepAliveInterval, cancellation).ConfigureAwait(false));
            }

            var addresses = servers.Select(s => $"127.0.0.1:{s.Port}").ToList();
            var ranks = await Task.WhenAll(servers.Select((server, r) =>
            {
                var options = new RingOptions { Addresses = addresses, Rank = r };
                configure?.Invoke(options);
                options.Addresses = addresses;
                options.Rank = r;
                return GrpcRingCollectives.ConnectAsync(options, server, loggerFactory, cancellation);
            })).ConfigureAwait(false);
            return ranks;
        }
        catch
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }
}
