using System.Threading.Channels;
using Grpc.Core;
using Leap.Contracts.V1;

namespace Leap.Collectives.Ring;

/// <summary>
/// Frames from the predecessor, in arrival order. The server side of the predecessor's Link stream pumps into a
/// small bounded queue; while the queue is full it stops reading, so HTTP/2 flow control pushes back on the sender.
/// </summary>
internal sealed class RingInbox : IDisposable
{
    private const int Capacity = 8;
    private readonly Channel<RingFrame> _frames = Channel.CreateBounded<RingFrame>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly CancellationTokenSource _stopping = new();
    private int _attached;

    /// <summary>Runs for the lifetime of the predecessor's Link call.</summary>
    public async Task AcceptAsync(IAsyncStreamReader<RingFrame> stream, CancellationToken callCancelled)
    {
        if (Interlocked.Exchange(ref _attached, 1) == 1)
        {
            throw new RpcException(new Status(StatusCode.AlreadyExists, "This rank already has a predecessor link."));
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(callCancelled, _stopping.Token);
        try
        {
            while (await stream.MoveNext(linked.Token).ConfigureAwait(false))
            {
                await _frames.Writer.WriteAsync(stream.Current, linked.Token).ConfigureAwait(false);
            }

            _frames.Writer.TryComplete(new IOException("it closed its link (shut down)"));
        }
        catch (Exception e) when (_stopping.IsCancellationRequested)
        {
            _frames.Writer.TryComplete(new ObjectDisposedException("This rank is shutting down.", e));
            throw new RpcException(new Status(StatusCode.Unavailable, "The receiving rank is shutting down."));
        }
        catch (Exception e)
        {
            _frames.Writer.TryComplete(new IOException($"its link broke ({e.GetType().Name}: {e.Message})", e));
        }
    }

    /// <summary>The next frame; throws <see cref="ChannelClosedException"/> (inner: why) once the link is gone and drained.</summary>
    public ValueTask<RingFrame> ReceiveAsync(CancellationToken cancellation) => _frames.Reader.ReadAsync(cancellation);

    /// <summary>Ends the predecessor's call so the server can stop without waiting for it.</summary>
    public void Stop()
    {
        _stopping.Cancel();
        _frames.Writer.TryComplete(new ObjectDisposedException("This rank is shutting down."));
    }

    public void Dispose() => _stopping.Dispose();
}
