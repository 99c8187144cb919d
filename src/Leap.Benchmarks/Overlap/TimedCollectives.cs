using System.Diagnostics;
using Leap.Collectives;
using static TorchSharp.torch;

namespace Leap.Benchmarks.Overlap;

/// <summary>
/// Passes every collective on and adds its duration (call to completion) to <see cref="Blocking"/> when the training
/// thread made the call (the data-parallel step blocks on each such call, so all of it is exposed) or to
/// <see cref="Background"/> otherwise (the overlapped gradient all-reduces, which the backward may hide).
/// </summary>
public sealed class TimedCollectives(ICollectives inner, int trainingThread) : ICollectives
{
    private long _blockingTicks;
    private long _backgroundTicks;

    public int Rank => inner.Rank;
    public int WorldSize => inner.WorldSize;
    public string Algorithm => inner.Algorithm;

    public TimeSpan Blocking => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _blockingTicks));
    public TimeSpan Background => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _backgroundTicks));

    public void Reset()
    {
        Interlocked.Exchange(ref _blockingTicks, 0);
        Interlocked.Exchange(ref _backgroundTicks, 0);
    }

    public Task AllReduceAsync(Tensor tensor, ReduceOp op, CancellationToken cancellation = default) => Timed(async () => { await inner.AllReduceAsync(tensor, op, cancellation).ConfigureAwait(false); return true; });
    public Task<Tensor> AllGatherAsync(Tensor tensor, CancellationToken cancellation = default) => Timed(() => inner.AllGatherAsync(tensor, cancellation));
    public Task<Tensor> ReduceScatterAsync(Tensor tensor, ReduceOp op, CancellationToken cancellation = default) => Timed(() => inner.ReduceScatterAsync(tensor, op, cancellation));
    public Task BroadcastAsync(Tensor tensor, int root, CancellationToken cancellation = default) => Timed(async () => { await inner.BroadcastAsync(tensor, root, cancellation).ConfigureAwait(false); return true; });
    public Task BarrierAsync(CancellationToken cancellation = default) => Timed(async () => { await inner.BarrierAsync(cancellation).ConfigureAwait(false); return true; });
    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private async Task<T> Timed<T>(Func<Task<T>> call)
    {
        long start = Stopwatch.GetTimestamp();
        bool blocking = Environment.CurrentManagedThreadId == trainingThread;
        try
        {
            return await call().ConfigureAwait(false);
        }
        finally
        {
            long ticks = Stopwatch.GetTimestamp() - start;
            if (blocking)
            {
                Interlocked.Add(ref _blockingTicks, ticks);
            }
            else
            {
                Interlocked.Add(ref _backgroundTicks, ticks);
            }
        }
    }
}
