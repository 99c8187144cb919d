using Leap.Collectives.Ring;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Leap.Collectives;

/// <summary>
/// <see cref="RingCollectives"/> over gRPC: each rank hosts a peer service (Kestrel, HTTP/2 cleartext) and keeps one
/// client stream open to its successor; frames are protobuf messages, flow control is HTTP/2's.
/// </summary>
public sealed class GrpcRingCollectives : RingCollectives
{
    private readonly RingPeerServer _server;

    private GrpcRingCollectives(RingOptions options, RingPeerServer server, IRingTransport? transport, RingExchange? exchange, ILogger logger)
        : base(options, transport, exchange, logger)
    {
        _server = server;
    }

    public override int Port => _server.Port;

    private protected override string TransportName => "gRPC";

    /// <summary>Validates <paramref name="options"/>, starts this rank's peer service and waits until the ring has formed.</summary>
    public static async Task<GrpcRingCollectives> StartAsync(RingOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellation = default)
    {
        RingOptionsValidator.ThrowIfInvalid(options);
        var own = RingAddress.Parse(options.Addresses[options.Rank]);
        var server = await RingPeerServer.StartAsync(own, options.ChunkBytes, options.KeepAliveInterval, options.Token, loggerFactory, cancellation).ConfigureAwait(false);
        try
        {
            return await ConnectAsync(options, server, loggerFactory, cancellation).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Forms the ring around an already running server (which may have been started on port 0).</summary>
    internal static async Task<GrpcRingCollectives> ConnectAsync(RingOptions options, RingPeerServer server, ILoggerFactory? loggerFactory, CancellationToken cancellation)
    {
        RingOptionsValidator.ThrowIfInvalid(options);
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<GrpcRingCollectives>();
        var n = options.WorldSize;
        if (n == 1)
        {
            return new GrpcRingCollectives(options, server, null, null, logger);
        }

        var successor = RingNeighbour.Of(options, (options.Rank + 1) % n);
        var predecessor = RingNeighbour.Of(options, (options.Rank + n - 1) % n);
        var link = await RingLink.OpenAsync(successor, options.Rank, options, cancellation).ConfigureAwait(false);
        var transport = new GrpcRingTransport(options.Rank, link, server.Inbox, predecessor);
        try
        {
            var exchange = await RingHandshake.ExchangeHellosAsync(transport, options, cancellation).ConfigureAwait(false);
            RingLog.RingFormed(logger, options.Rank, n, "gRPC", server.Port, successor.ToString(), predecessor.ToString(), options.ChunkBytes);
            return new GrpcRingCollectives(options, server, transport, exchange, logger);
        }
        catch
        {
            await transport.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private protected override ValueTask DisposeListenerAsync() => _server.DisposeAsync();
}
