using Leap.Collectives.InProcess;
using static TorchSharp.torch;

namespace Leap.Collectives;

/// <summary>
/// <see cref="ICollectives"/> for N ranks in one process (tests of the training code). Each collective meets all
/// ranks, then one thread computes every rank's result in rank order — ((x_0 op x_1) op x_2) ... — so results are
/// bit-identical on all ranks and independent of timing. A rank that does not arrive within the timeout fails the
/// collective (and the group) with a <see cref="TimeoutException"/> naming it.
/// </summary>
public sealed class InProcessCollectives : ICollectives
{
    private readonly InProcessGroup _group;
    private long _sequence;
    private bool _disposed;

    private InProcessCollectives(InProcessGroup group, int rank)
    {
        _group = group;
        Rank = rank;
    }

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public int Rank { get; }

    public int WorldSize => _group.WorldSize;

    public string Algorithm => "in-process (rank-order reduction)";

    /// <summary>Creates the ranks 0..worldSize-1 of one group; each is used by one (simulated) worker.</summary>
    public static IReadOnlyList<InProcessCollectives> Create(int worldSize, TimeSpan? timeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        var wait = timeout ?? DefaultTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(wait, TimeSpan.Zero, nameof(timeout));
        var group = new InProcessGroup(worldSize, wait);
        return Enumerable.Range(0, worldSize).Select(r => new InProcessCollectives(group, r)).ToList();
    }

    public Task AllReduceAsync(Tensor tensor, ReduceOp op, CancellationToken cancellation = default)
    {
        TensorArguments.RequireSupported(tensor);
        var call = new InProcessCall(TensorArguments.Signature("AllReduce", tensor, op.ToString()), tensor, null);
        return RunAsync(call, calls => InProcessReductions.AllReduce(calls.Select(c => c.Input!).ToList(), op), cancellation);
    }

    public async Task<Tensor> AllGatherAsync(Tensor tensor, CancellationToken cancellation = default)
    {
        TensorArguments.RequireSupported(tensor);
        if (tensor.dim() == 0)
        {
            throw new ArgumentException("All-gather concatenates along dim 0; got a 0-d tensor.", nameof(tensor));
        }

        var shape = tensor.shape.ToArray();
        shape[0] *= WorldSize;
        var output = empty(shape, tensor.dtype); // allocated on the caller's thread, in the caller's dispose scope
        try
        {
            var call = new InProcessCall(TensorArguments.Signature("AllGather", tensor), tensor, output);
            await RunAsync(call, calls => InProcessReductions.AllGather(
                calls.Select(c => c.Input!).ToList(), calls.Select(c => c.Output!).ToList()), cancellation).ConfigureAwait(false);
            return output;
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    public async Task<Tensor> ReduceScatterAsync(Tensor tensor, ReduceOp op, CancellationToken cancellation = default)
    {
        TensorArguments.RequireSupported(tensor);
        TensorArguments.RequireDim0DivisibleBy(tensor, WorldSize);
        var shape = tensor.shape.ToArray();
        shape[0] /= WorldSize;
        var output = empty(shape, tensor.dtype);
        try
        {
            var call = new InProcessCall(TensorArguments.Signature("ReduceScatter", tensor, op.ToString()), tensor, output);
            await RunAsync(call, calls => InProcessReductions.ReduceScatter(
                calls.Select(c => c.Input!).ToList(), calls.Select(c => c.Output!).ToList(), op), cancellation).ConfigureAwait(false);
            return output;
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    public Task BroadcastAsync(Tensor tensor, int root, CancellationToken cancellation = default)
    {
        TensorArguments.RequireSupported(tensor);
        TensorArguments.RequireRank(root, WorldSize, nameof(root));
        var call = new InProcessCall(TensorArguments.Signature("Broadcast", tensor, $"root {root}"), tensor, null);
        return RunAsync(call, calls => InProcessReductions.Broadcast(calls.Select(c => c.Input!).ToList(), root), cancellation);
    }

    public Task BarrierAsync(CancellationToken cancellation = default) =>
        RunAsync(new InProcessCall("Barrier()", null, null), _ => { }, cancellation);

    /// <summary>Leaving the group fails collectives the other ranks are waiting in, instead of letting them time out.</summary>
    public ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            _group.Fail(new ObjectDisposedException(nameof(InProcessCollectives), $"Rank {Rank} left the in-process group."));
        }

        return ValueTask.CompletedTask;
    }

    private Task RunAsync(InProcessCall call, Action<IReadOnlyList<InProcessCall>> collective, CancellationToken cancellation)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _group.RunAsync(Rank, ++_sequence, call, collective, cancellation);
    }
}
