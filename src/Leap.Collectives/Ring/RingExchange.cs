using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace Leap.Collectives.Ring;

/// <summary>
/// Runs one <see cref="RingPlan"/> over a transport: a send loop and a receive loop, concurrently. Each chunk received
/// at step s (and combined) is queued for sending at step s+1, so chunks flow through the ring as a pipeline.
/// Frames are tagged (sequence, step, chunk, signature); anything else than the expected frame fails the collective.
/// Every frame sent or awaited has <see cref="RingOptions.ExchangeTimeout"/>.
/// </summary>
internal sealed class RingExchange(int rank, int worldSize, IRingTransport transport, RingOptions options)
{
    public async Task RunAsync(long sequence, string signature, RingPlan plan, NativeTensorMemory memory, ReduceOp op, CancellationToken cancellation)
    {
        var sendQueue = Channel.CreateUnbounded<(int Step, int Chunk)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var sends = 0;
        for (var s = 0; s < plan.Steps; s++)
        {
            if (plan.Send(s) is { } segment)
            {
                var chunks = segment.ChunkCount(options.ChunkBytes);
                sends += chunks;
                if (plan.Receive(s - 1) is null)
                {
                    for (var k = 0; k < chunks; k++)
                    {
                        sendQueue.Writer.TryWrite((s, k));
                    }
                }
            }
        }

        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var sending = StopOthersOnFailure(SendLoopAsync(sequence, signature, plan, memory, sends, sendQueue.Reader, failed.Token), failed);
        var receiving = StopSendingOnFailure(ReceiveLoopAsync(sequence, signature, plan, memory, op, sendQueue.Writer, failed.Token), sendQueue.Writer, failed);
        try
        {
            await Task.WhenAll(sending, receiving).ConfigureAwait(false);
        }
        catch
        {
            // Report the cause, not the cancellation it caused in the other loop.
            var errors = new[] { receiving, sending }.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).ToList();
            var cause = errors.FirstOrDefault(e => e is not OperationCanceledException) ?? errors.FirstOrDefault();
            if (cause is not null)
            {
                ExceptionDispatchInfo.Throw(cause);
            }

            throw;
        }
    }

    /// <summary>Sends one frame to the successor within <paramref name="timeout"/> (default: the exchange timeout).</summary>
    public async Task SendAsync(RingFrameHeader header, ReadOnlyMemory<byte> payload, CancellationToken cancellation, TimeSpan? timeout = null)
    {
        var wait = timeout ?? options.ExchangeTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(wait);
        try
        {
            await transport.SendAsync(header, payload, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (deadline.IsCancellationRequested && !cancellation.IsCancellationRequested && e is not RingPeerException)
        {
            throw new CollectiveTimeoutException(transport.Successor.Rank, transport.Successor.Address.ToString(),
                $"Rank {rank}: sending to {transport.Successor} did not finish within {wait.TotalSeconds:0.###} s (it stopped reading).", e);
        }
    }

    /// <summary>The next frame from the predecessor, within <paramref name="timeout"/> (default: the exchange timeout).</summary>
    public async Task<RingReceivedFrame> ReceiveAsync(string expected, CancellationToken cancellation, TimeSpan? timeout = null, Memory<byte> landing = default)
    {
        var wait = timeout ?? options.ExchangeTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(wait);
        try
        {
            return await transport.ReceiveAsync(landing, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (deadline.IsCancellationRequested && !cancellation.IsCancellationRequested && e is not RingPeerException)
        {
            throw new CollectiveTimeoutException(transport.Predecessor.Rank, transport.Predecessor.Address.ToString(),
                $"Rank {rank} waited {wait.TotalSeconds:0.###} s for {expected} from {transport.Predecessor}; nothing arrived.", e);
        }
    }

    /// <summary>
    /// A failed receive stops the send loop between frames (its queue completes) rather than cancelling a frame in
    /// flight: cancelling a gRPC write resets the whole stream, and the abort frame that tells the successor why would
    /// then never arrive. A write that is stuck (successor not reading) is still cancelled after a short grace.
    /// </summary>
    private static async Task StopSendingOnFailure(Task loop, ChannelWriter<(int Step, int Chunk)> sendQueue, CancellationTokenSource failed)
    {
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            sendQueue.TryComplete(e);
            failed.CancelAfter(StuckWriteGrace);
            throw;
        }
    }

    private static readonly TimeSpan StuckWriteGrace = TimeSpan.FromSeconds(1);

    private static async Task StopOthersOnFailure(Task loop, CancellationTokenSource failed)
    {
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch
        {
            await failed.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task SendLoopAsync(long sequence, string signature, RingPlan plan, NativeTensorMemory memory, int sends,
        ChannelReader<(int Step, int Chunk)> queue, CancellationToken cancellation)
    {
        for (var i = 0; i < sends; i++)
        {
            var (step, chunk) = await queue.ReadAsync(cancellation).ConfigureAwait(false);
            var (offset, length) = plan.Send(step)!.Value.Chunk(chunk, options.ChunkBytes);
            var header = new RingFrameHeader(RingFrameKind.Data, rank, sequence, step, chunk, signature);
            // No copy: the transport reads the tensor's bytes. Nothing writes this chunk again until the ring has moved on
            // past it, which needs the successor to have received it.
            await SendAsync(header, memory.Memory(offset, length), cancellation).ConfigureAwait(false);
        }
    }

    private async Task ReceiveLoopAsync(long sequence, string signature, RingPlan plan, NativeTensorMemory memory, ReduceOp op,
        ChannelWriter<(int Step, int Chunk)> sendQueue, CancellationToken cancellation)
    {
        for (var s = 0; s < plan.Steps; s++)
        {
            if (plan.Receive(s) is not { } segment)
            {
                continue;
            }

            var forward = plan.Send(s + 1) is not null;
            var combine = plan.Combine(s);
            for (var k = 0; k < segment.ChunkCount(options.ChunkBytes); k++)
            {
                var (offset, length) = segment.Chunk(k, options.ChunkBytes);
                var landing = combine == RingCombine.Copy ? memory.Memory(offset, length) : Memory<byte>.Empty;
                var frame = await ReceiveAsync($"{signature} #{sequence} step {s} chunk {k}", cancellation, landing: landing).ConfigureAwait(false);
                Check(frame, sequence, signature, s, k, length);
                Combine(combine, op, memory.Slice(offset, length), frame.Payload.Span, memory);
                if (forward)
                {
                    sendQueue.TryWrite((s + 1, k));
                }
            }
        }
    }

    private void Check(RingReceivedFrame frame, long sequence, string signature, int step, int chunk, int length)
    {
        var h = frame.Header;
        if (h.Kind == RingFrameKind.Abort)
        {
            throw new CollectiveAbortedException(h.AbortReason);
        }

        if (h.Kind != RingFrameKind.Data || h.Sequence != sequence || h.Signature != signature || h.Step != step || h.Chunk != chunk)
        {
            throw new CollectiveMismatchException(
                $"Rank {rank} is in collective #{sequence} {signature} (step {step}, chunk {chunk}) but its predecessor {transport.Predecessor} " +
                $"sent {h.Kind} #{h.Sequence} {h.Signature} (step {h.Step}, chunk {h.Chunk}); all ranks must call the same collectives in the same order with the same shapes.");
        }

        if (frame.Payload.Length != length)
        {
            throw new CollectiveMismatchException(
                $"Rank {rank} expected {length} bytes in {signature} #{sequence} step {step} chunk {chunk} from {transport.Predecessor}, got {frame.Payload.Length} (different chunk sizes configured?).");
        }
    }

    private void Combine(RingCombine combine, ReduceOp op, Span<byte> destination, ReadOnlySpan<byte> incoming, NativeTensorMemory memory)
    {
        if (combine == RingCombine.Copy)
        {
            if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(incoming), ref MemoryMarshal.GetReference(destination)))
            {
                incoming.CopyTo(destination); // it did not land in place
            }

            return;
        }

        ElementwiseReduction.Accumulate(memory.DType, op, destination, incoming);
        if (combine == RingCombine.AccumulateThenAverage)
        {
            ElementwiseReduction.DivideInPlace(memory.DType, destination, worldSize);
        }
    }
}
