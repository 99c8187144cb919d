using System.Net.Sockets;
using System.Text;

namespace Leap.Collectives.Ring.Tcp;

/// <summary>
/// Ring frames on two plain TCP connections: this rank's connection to its successor (sends) and its predecessor's
/// connection to it (receives). A frame is a small header (<see cref="TcpFrameCodec"/>) then the payload, sent
/// straight from the tensor's memory; a received payload lands in one reusable buffer that the ring reduces from, or
/// straight in the tensor when the step only copies.
/// No serialization, no per-frame allocation beyond the header's strings. Backpressure is TCP's own.
/// </summary>
internal sealed class TcpRingTransport : IRingTransport
{
    /// <summary>Payloads up to this size go out in the same send as their header.</summary>
    private const int InlinePayloadBytes = 64 << 10;

    private readonly int _rank;
    private readonly Socket _toSuccessor;
    private readonly Socket _fromPredecessor;
    private readonly int _maxPayloadBytes;
    private byte[] _sendHead = new byte[TcpFrameCodec.FixedBytes + 256 + InlinePayloadBytes];
    private readonly byte[] _receiveFixed = new byte[TcpFrameCodec.FixedBytes];
    private byte[] _receiveText = new byte[256];
    private readonly byte[] _receivePayload;
    private string _lastSignature = "";
    private byte[] _lastSignatureBytes = [];
    private bool _sendInterrupted;

    public TcpRingTransport(int rank, Socket toSuccessor, RingNeighbour successor, Socket fromPredecessor, RingNeighbour predecessor, int chunkBytes)
    {
        _rank = rank;
        _toSuccessor = toSuccessor;
        _fromPredecessor = fromPredecessor;
        Successor = successor;
        Predecessor = predecessor;
        _maxPayloadBytes = chunkBytes;
        _receivePayload = GC.AllocateUninitializedArray<byte>(chunkBytes, pinned: true);
    }

    public RingNeighbour Successor { get; }

    public RingNeighbour Predecessor { get; }

    public async ValueTask SendAsync(RingFrameHeader header, ReadOnlyMemory<byte> payload, CancellationToken cancellation)
    {
        if (_sendInterrupted)
        {
            // Half a frame went out: the successor can no longer parse this stream; only closing it tells it anything.
            throw new RingPeerException(Successor.Rank, Successor.Address.ToString(),
                $"Rank {_rank}: the link to {Successor} is unusable after an interrupted send.");
        }

        var inline = payload.Length <= InlinePayloadBytes;
        var needed = TcpFrameCodec.HeadBytes(header) + (inline ? payload.Length : 0);
        if (_sendHead.Length < needed)
        {
            _sendHead = new byte[needed];
        }

        var headBytes = TcpFrameCodec.WriteHead(_sendHead, header, payload.Length);
        if (inline)
        {
            payload.Span.CopyTo(_sendHead.AsSpan(headBytes));
            headBytes += payload.Length;
        }

        _sendInterrupted = true;
        try
        {
            await SendAllAsync(_sendHead.AsMemory(0, headBytes), cancellation).ConfigureAwait(false);
            if (!inline)
            {
                await SendAllAsync(payload, cancellation).ConfigureAwait(false);
            }

            _sendInterrupted = false;
        }
        catch (Exception e) when (!cancellation.IsCancellationRequested && e is SocketException or ObjectDisposedException)
        {
            throw new RingPeerException(Successor.Rank, Successor.Address.ToString(),
                $"Rank {_rank}: the link to its successor {Successor} broke ({Describe(e)}).", e);
        }
    }

    public async ValueTask<RingReceivedFrame> ReceiveAsync(Memory<byte> landing, CancellationToken cancellation)
    {
        await ReceiveExactlyAsync(_receiveFixed, cancellation).ConfigureAwait(false);
        if (TcpFrameCodec.ReadFixed(_receiveFixed) is not { } f)
        {
            throw new RingPeerException(Predecessor.Rank, Predecessor.Address.ToString(),
                $"Rank {_rank}: its predecessor {Predecessor} sent bytes that are not a ring frame (another program on that port, or a different protocol version).");
        }

        if (f.PayloadBytes > _maxPayloadBytes)
        {
            throw new CollectiveMismatchException(
                $"Rank {_rank}: its predecessor {Predecessor} sent a {f.PayloadBytes}-byte chunk (step {f.Step}, chunk {f.Chunk}) but this rank's chunk size is {_maxPayloadBytes} bytes (different chunk sizes configured?).");
        }

        var textBytes = f.SignatureBytes + f.ReasonBytes;
        if (_receiveText.Length < textBytes)
        {
            _receiveText = new byte[textBytes];
        }

        await ReceiveExactlyAsync(_receiveText.AsMemory(0, textBytes), cancellation).ConfigureAwait(false);
        var signature = Signature(_receiveText.AsSpan(0, f.SignatureBytes));
        var reason = f.ReasonBytes == 0 ? "" : Encoding.UTF8.GetString(_receiveText, f.SignatureBytes, f.ReasonBytes);
        var payload = f.Kind == RingFrameKind.Data && f.PayloadBytes == landing.Length && !landing.IsEmpty
            ? landing
            : _receivePayload.AsMemory(0, f.PayloadBytes);
        await ReceiveExactlyAsync(payload, cancellation).ConfigureAwait(false);
        var header = new RingFrameHeader(f.Kind, f.SenderRank, f.Sequence, f.Step, f.Chunk, signature, f.WorldSize, reason);
        return new RingReceivedFrame(header, payload);
    }

    public ValueTask DisposeAsync()
    {
        foreach (var socket in new[] { _toSuccessor, _fromPredecessor })
        {
            try
            {
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // Already broken: closing is all that is left.
            }

            socket.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private async ValueTask SendAllAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellation)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await _toSuccessor.SendAsync(bytes, SocketFlags.None, cancellation).ConfigureAwait(false);
            bytes = bytes[sent..];
        }
    }

    private async ValueTask ReceiveExactlyAsync(Memory<byte> buffer, CancellationToken cancellation)
    {
        while (!buffer.IsEmpty)
        {
            int received;
            try
            {
                received = await _fromPredecessor.ReceiveAsync(buffer, SocketFlags.None, cancellation).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellation.IsCancellationRequested && e is SocketException or ObjectDisposedException)
            {
                throw new RingPeerException(Predecessor.Rank, Predecessor.Address.ToString(),
                    $"Rank {_rank} lost its predecessor {Predecessor}: the link broke ({Describe(e)}).", e);
            }

            if (received == 0)
            {
                throw new RingPeerException(Predecessor.Rank, Predecessor.Address.ToString(),
                    $"Rank {_rank} lost its predecessor {Predecessor}: it closed its link (shut down or crashed).");
            }

            buffer = buffer[received..];
        }
    }

    /// <summary>Every frame of a collective carries the same signature: decode it once, then compare bytes.</summary>
    private string Signature(ReadOnlySpan<byte> bytes)
    {
        if (!bytes.SequenceEqual(_lastSignatureBytes))
        {
            _lastSignature = Encoding.UTF8.GetString(bytes);
            _lastSignatureBytes = bytes.ToArray();
        }

        return _lastSignature;
    }

    private static string Describe(Exception e) => e is SocketException s ? $"{s.SocketErrorCode}: {s.Message}" : "this rank closed it";
}
