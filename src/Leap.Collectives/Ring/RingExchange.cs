using System.Buffers;
using System.Threading.Channels;
using Google.Protobuf;
using Leap.Contracts.V1;

namespace Leap.Collectives.Ring;

/// <summary>
/// Runs one <see cref="RingPlan"/> over the links: a send loop and a receive loop, concurrently. Each chunk received
/// at step s (and combined) is queued for sending at step s+1, so chunks flow through the ring as a pipeline.
/// Frames are tagged (sequence, step, chunk, signature); anything else than the expected frame fails the collective.
/// </summary>
internal sealed class RingExchange(int rank, int worldSize, RingLink successor, RingInbox inbox, RingNeighbour predecessor, RingOptions options)
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
        var receiving = StopOthersOnFailure(ReceiveLoopAsync(sequence, signature, plan, memory, op, sendQueue.Writer, failed.Token), failed);
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
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
            }

            throw;
        }
    }

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
            var buffer = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                memory.Slice(offset, length).CopyTo(buffer);
                var frame = new RingFrame
                {
                    Type = RingFrameType.Data,
                    SenderRank = rank,
                    Sequence = sequence,
                    Step = step,
                    Chunk = chunk,
                    Signature = signature,
                    // Safe to wrap a pooled buffer: the message is serialized before WriteAsync completes.
                    Data = UnsafeByteOperations.UnsafeWrap(buffer.AsMemory(0, length)),
                };
                await successor.WriteAsync(frame, options.ExchangeTimeout, cancellation).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
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
            for (var k = 0; k < segment.ChunkCount(options.ChunkBytes); k++)
            {
                var frame = await ReceiveAsync($"{signature} #{sequence} step {s} chunk {k}", cancellation).ConfigureAwait(false);
                var (offset, length) = segment.Chunk(k, options.ChunkBytes);
                Check(frame, sequence, signature, s, k, length);
                Combine(plan.Combine(s), op, memory.Slice(offset, length), frame.Data.Span, memory);
                if (forward)
                {
                    sendQueue.TryWrite((s + 1, k));
                }
            }
        }
    }

    /// <summary>The next frame from the predecessor, within the exchange deadline.</summary>
    public async Task<RingFrame> ReceiveAsync(string expected, CancellationToken cancellation, TimeSpan? timeout = null)
    {
        var wait = timeout ?? options.ExchangeTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(wait);
        try
        {
            return await inbox.ReceiveAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellation.IsCancellationRequested)
        {
            throw new CollectiveTimeoutException(predecessor.Rank, predecessor.Address.ToString(),
                $"Rank {rank} waited {wait.TotalSeconds:0.###} s for {expected} from {predecessor}; nothing arrived.", e);
        }
        catch (ChannelClosedException e)
        {
            var why = e.InnerException?.Message ?? "the link closed";
            throw new RingPeerException(predecessor.Rank, predecessor.Address.ToString(),
                $"Rank {rank} lost its predecessor {predecessor} while waiting for {expected}: {why}", e);
        }
    }

    private void Check(RingFrame frame, long sequence, string signature, int step, int chunk, int length)
    {
        if (frame.Type == RingFrameType.Abort)
        {
            throw new CollectiveAbortedException(frame.AbortReason);
        }

        if (frame.Type != RingFrameType.Data || frame.Sequence != sequence || frame.Signature != signature || frame.Step != step || frame.Chunk != chunk)
        {
            throw new CollectiveMismatchException(
                $"Rank {rank} is in collective #{sequence} {signature} (step {step}, chunk {chunk}) but its predecessor {predecessor} " +
                $"sent {frame.Type} #{frame.Sequence} {frame.Signature} (step {frame.Step}, chunk {frame.Chunk}); all ranks must call the same collectives in the same order with the same shapes.");
        }

        if (frame.Data.Length != length)
        {
            throw new CollectiveMismatchException(
                $"Rank {rank} expected {length} bytes in {signature} #{sequence} step {step} chunk {chunk} from {predecessor}, got {frame.Data.Length} (different chunk sizes configured?).");
        }
    }

    private void Combine(RingCombine combine, ReduceOp op, Span<byte> destination, ReadOnlySpan<byte> incoming, NativeTensorMemory memory)
    {
        if (combine == RingCombine.Copy)
        {
            incoming.CopyTo(destination);
            return;
        }

        ElementwiseReduction.Accumulate(memory.DType, op, destination, incoming);
        if (combine == RingCombine.AccumulateThenAverage)
        {
            ElementwiseReduction.DivideInPlace(memory.DType, destination, worldSize);
        }
    }
}
