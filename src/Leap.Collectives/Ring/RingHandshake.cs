namespace Leap.Collectives.Ring;

/// <summary>Once both links are up: say hello to the successor and check the predecessor's hello (same ring size, right rank).</summary>
internal static class RingHandshake
{
    public static async Task<RingExchange> ExchangeHellosAsync(IRingTransport transport, RingOptions options, CancellationToken cancellation)
    {
        var n = options.WorldSize;
        var exchange = new RingExchange(options.Rank, n, transport, options);
        await exchange.SendAsync(new RingFrameHeader(RingFrameKind.Hello, options.Rank, WorldSize: n), ReadOnlyMemory<byte>.Empty, cancellation, options.ConnectTimeout)
            .ConfigureAwait(false);
        var hello = (await exchange.ReceiveAsync("its hello", cancellation, options.ConnectTimeout).ConfigureAwait(false)).Header;
        var predecessor = transport.Predecessor;
        if (hello.Kind != RingFrameKind.Hello || hello.SenderRank != predecessor.Rank || hello.WorldSize != n)
        {
            throw new RingPeerException(predecessor.Rank, predecessor.Address.ToString(),
                $"Rank {options.Rank} expected a hello from rank {predecessor.Rank} of a {n}-rank ring at {predecessor.Address}, " +
                $"but got {hello.Kind} from rank {hello.SenderRank} of a {hello.WorldSize}-rank ring; check {RingOptions.SectionName}:{nameof(RingOptions.Addresses)} on every rank.");
        }

        return exchange;
    }
}
