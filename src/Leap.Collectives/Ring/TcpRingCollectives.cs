using Leap.Collectives.Ring;
using Leap.Collectives.Ring.Tcp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Leap.Collectives;

/// <summary>
/// <see cref="RingCollectives"/> over raw TCP: each rank listens on its address and keeps one connection open to its
/// successor; frames are a 44-byte header plus the chunk's bytes, sent from and reduced out of tensor memory without
/// serialization. Same plans, tags, checks, deadlines and results as <see cref="GrpcRingCollectives"/>.
/// </summary>
public sealed class TcpRingCollectives : RingCollectives
{
    private readonly TcpRingListener _listener;

    private TcpRingCollectives(RingOptions options, TcpRingListener listener, IRingTransport? transport, RingExchange? exchange, ILogger logger)
        : base(options, transport, exchange, logger)
    {
        _listener = listener;
    }

    public override int Port => _listener.Port;

    private protected override string TransportName => "TCP";

    /// <summary>Validates <paramref name="options"/>, listens on this rank's address and waits until the ring has formed.</summary>
    public static async Task<TcpRingCollectives> StartAsync(RingOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellation = default)
    {
        RingOptionsValidator.ThrowIfInvalid(options);
        var listener = TcpRingListener.Start(RingAddress.Parse(options.Addresses[options.Rank]));
        try
        {
            return await ConnectAsync(options, listener, loggerFactory, cancellation).ConfigureAwait(false);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>Forms the ring around an already bound listener (which may have been started on port 0).</summary>
    internal static async Task<TcpRingCollectives> ConnectAsync(RingOptions options, TcpRingListener listener, ILoggerFactory? loggerFactory, CancellationToken cancellation)
    {
        RingOptionsValidator.ThrowIfInvalid(options);
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<TcpRingCollectives>();
        var n = options.WorldSize;
        if (n == 1)
        {
            return new TcpRingCollectives(options, listener, null, null, logger);
        }

        var successor = RingNeighbour.Of(options, (options.Rank + 1) % n);
        var predecessor = RingNeighbour.Of(options, (options.Rank + n - 1) % n);
        var dialing = TcpRingSockets.DialSuccessorAsync(options.Rank, successor, options, cancellation);
        var accepting = listener.AcceptPredecessorAsync(options.Rank, predecessor, options, options.ConnectTimeout, logger, cancellation);
        try
        {
            await Task.WhenAll(dialing, accepting).ConfigureAwait(false);
        }
        catch
        {
            foreach (var done in new[] { dialing, accepting }.Where(t => t.IsCompletedSuccessfully))
            {
                done.Result.Dispose();
            }

            throw;
        }

        var transport = new TcpRingTransport(options.Rank, dialing.Result, successor, accepting.Result, predecessor, options.ChunkBytes);
        try
        {
            var exchange = await RingHandshake.ExchangeHellosAsync(transport, options, cancellation).ConfigureAwait(false);
            RingLog.RingFormed(logger, options.Rank, n, "TCP", listener.Port, successor.ToString(), predecessor.ToString(), options.ChunkBytes);
            return new TcpRingCollectives(options, listener, transport, exchange, logger);
        }
        catch
        {
            await transport.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private protected override ValueTask DisposeListenerAsync()
    {
        _listener.Dispose();
        return ValueTask.CompletedTask;
    }
}
