using System.Diagnostics;
using Leap.Collectives;
using static TorchSharp.torch;

namespace Leap.Training.Metrics;

/// <summary>
/// An <see cref="ICollectives"/> that records bytes and time of every data-moving call in <see cref="CollectiveMetrics"/>
/// and otherwise forwards to <paramref name="inner"/>. It does not own <paramref name="inner"/>: disposing it does nothing.
/// A failed call is not recorded.
/// </summary>
public sealed class MeteredCollectives(ICollectives inner, CollectiveMetrics metrics) : ICollectives
{
    public int Rank => inner.Rank;
    public int WorldSize => inner.WorldSize;
    public string Algorithm => inner.Algorithm;

    public async Task AllReduceAsync(Tensor tensor, ReduceOp op, CancellationToken cancellation = default)
    {
        long bytes = Bytes(tensor);
        long start = Stopwatch.GetTimestamp();
        await inner.AllReduceAsync(tensor, op, cancellation).ConfigureAwait(false);
        metrics.Record(CollectiveMetrics.AllReduce, bytes, Stopwatch.GetElapsedTime(start));
    }

    public async Task<Tensor> AllGatherAsync(Tensor tensor, CancellationToken cancellation = default)
    {
        long bytes = Bytes(tensor);
        long start = Stopwatch.GetTimestamp();
        var result = await inner.AllGatherAsync(tensor, cancellation).ConfigureAwait(false);
        metrics.Record(CollectiveMetrics.AllGather, bytes, Stopwatch.GetElapsedTime(start));
        return result;
    }

    public async Task<Tensor> ReduceScatterAsync(Tensor tensor, ReduceOp op, CancellationToken cancellation = default)
    {
        long bytes = Bytes(tensor);
        long start = Stopwatch.GetTimestamp();
        var result = await inner.ReduceScatterAsync(tensor, op, cancellation).ConfigureAwait(false);
        metrics.Record(CollectiveMetrics.ReduceScatter, bytes, Stopwatch.GetElapsedTime(start));
        return result;
    }

    public async Task BroadcastAsync(Tensor tensor, int root, CancellationToken cancellation = default)
    {
        long bytes = Bytes(tensor);
        long start = Stopwatch.GetTimestamp();
        await inner.BroadcastAsync(tensor, root, cancellation).ConfigureAwait(false);
        metrics.Record(CollectiveMetrics.Broadcast, bytes, Stopwatch.GetElapsedTime(start));
    }

    public Task BarrierAsync(CancellationToken cancellation = default) => inner.BarrierAsync(cancellation);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static long Bytes(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return tensor.numel() * tensor.element_size();
    }
}
