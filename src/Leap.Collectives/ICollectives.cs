using static TorchSharp.torch;

namespace Leap.Collectives;

/// <summary>
/// Collective operations among the <see cref="WorldSize"/> ranks of one job generation. Every rank must call the same
/// operations in the same order with tensors of the same shape and dtype (float32, float64 or int64; CPU, contiguous
/// — callers move device tensors to CPU). A failed or unreachable peer surfaces as an exception, never a hang:
/// implementations apply a deadline to every exchange.
/// </summary>
public interface ICollectives : IAsyncDisposable
{
    int Rank { get; }
    int WorldSize { get; }

    /// <summary>A short description of the algorithm and transport, for benchmark reports.</summary>
    string Algorithm => GetType().Name;

    /// <summary>Reduces <paramref name="tensor"/> element-wise over all ranks, in place.</summary>
    Task AllReduceAsync(Tensor tensor, ReduceOp op, CancellationToken cancellation = default);

    /// <summary>Concatenates every rank's tensor along dim 0, in rank order.</summary>
    Task<Tensor> AllGatherAsync(Tensor tensor, CancellationToken cancellation = default);

    /// <summary>Reduces over ranks, then returns this rank's slice of dim 0 (dim 0 must be divisible by the world size).</summary>
    Task<Tensor> ReduceScatterAsync(Tensor tensor, ReduceOp op, CancellationToken cancellation = default);

    /// <summary>Copies the root rank's tensor into every rank's tensor, in place.</summary>
    Task BroadcastAsync(Tensor tensor, int root, CancellationToken cancellation = default);

    Task BarrierAsync(CancellationToken cancellation = default);
}
