using System.Threading.Channels;
using Google.Protobuf;
using Leap.Contracts.V1;

namespace Leap.Collectives.Ring;

/// <summary>Ring frames as protobuf messages: out on this rank's client stream to the successor, in through the inbox its peer service fills.</summary>
internal sealed class GrpcRingTransport(int rank, RingLink link, RingInbox inbox, RingNeighbour predecessor) : IRingTransport
{
    public RingNeighbour Successor => link.Successor;

    public RingNeighbour Predecessor => predecessor;

    public async ValueTask SendAsync(RingFrameHeader header, ReadOnlyMemory<byte> payload, CancellationToken cancellation)
    {
        var frame = new RingFrame
        {
            Type = (RingFrameType)header.Kind,
            SenderRank = header.SenderRank,
            Sequence = header.Sequence,
            Step = header.Step,
            Chunk = header.Chunk,
            Signature = header.Signature,
            WorldSize = header.WorldSize,
            AbortReason = header.AbortReason,
            // Safe to wrap: the message is serialized (copied) before WriteAsync completes.
            Data = UnsafeByteOperations.UnsafeWrap(payload),
        };
        await link.WriteAsync(frame, cancellation).ConfigureAwait(false);
    }

    public async ValueTask<RingReceivedFrame> ReceiveAsync(Memory<byte> landing, CancellationToken cancellation)
    {
        RingFrame frame;
        try
        {
            frame = await inbox.ReceiveAsync(cancellation).ConfigureAwait(false);
        }
        catch (ChannelClosedException e)
        {
            var why = e.InnerException?.Message ?? "the link closed";
            throw new RingPeerException(predecessor.Rank, predecessor.Address.ToString(), $"Rank {rank} lost its predecessor {predecessor}: {why}", e);
        }

        var header = new RingFrameHeader((RingFrameKind)frame.Type, frame.SenderRank, frame.Sequence, frame.Step, frame.Chunk,
            frame.Signature, frame.WorldSize, frame.AbortReason);
        return new RingReceivedFrame(header, frame.Data.Memory);
    }

    public ValueTask DisposeAsync() => link.DisposeAsync();
}
