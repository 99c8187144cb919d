using Leap.Collectives.Ring;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace Leap.Collectives;

/// <summary>
/// <see cref="ICollectives"/> over a ring of processes, whatever carries the frames (<see cref="GrpcRingCollectives"/>,
/// <see cref="TcpRingCollectives"/>): each rank keeps one link open to its successor (r + 1) mod N. All-reduce is a
/// chunked, pipelined ring reduce-scatter followed by a ring all-gather; a small tensor (at most
/// <see cref="RingOptions.SmallAllReduceBytes"/>) is instead all-gathered whole in N-1 steps instead of 2(N-1), and every
/// rank reduces the N copies itself in the same order, with the same operands, as the ring would. Summation order: segment j (a balanced 1/N of
/// the elements) is reduced once, by rank j, as ((x_{j+1} + x_{j+2}) + ...) + x_j (indices mod N), then divided by N
/// for Average, and copied to every other rank — so all ranks hold bit-identical results, equal to the rank-order
/// <see cref="InProcessCollectives"/> result up to that summation order, and equal across transports. After a failure
/// (mismatch, timeout, lost peer) every further call throws: the job generation has to restart.
/// </summary>
public abstract class RingCollectives : ICollectives
{
    private readonly RingOptions _options;
    private readonly int _smallAllReduceBytes;
    private readonly IRingTransport? _transport;
    private readonly RingExchange? _exchange;
    private readonly ILogger _logger;
    private readonly Dictionary<ScalarType, Tensor> _gathered = [];
    private long _sequence;
    private int _busy;
    private Exception? _fault;
    private bool _disposed;

    private protected RingCollectives(RingOptions options, IRingTransport? transport, RingExchange? exchange, ILogger logger)
    {
        _options = options;
        _smallAllReduceBytes = options.SmallAllReduceBytes; // the scratch is sized from it once: later edits must not outgrow it
        _transport = transport;
        _exchange = exchange;
        _logger = logger;
    }

    public int Rank => _options.Rank;

    public int WorldSize => _options.WorldSize;

    /// <summary>E.g. "ring over TCP (reduce-scatter + all-gather, 1024 KiB chunks)".</summary>
    public string Algorithm => _smallAllReduceBytes > 0
        ? $"ring over {TransportName} (reduce-scatter + all-gather, {_options.ChunkBytes >> 10} KiB chunks; whole-tensor all-gather up to {_smallAllReduceBytes >> 10} KiB)"
        : $"ring over {TransportName} (reduce-scatter + all-gather, {_options.ChunkBytes >> 10} KiB chunks)";

    /// <summary>The port this rank listens on for its predecessor.</summary>
    public abstract int Port { get; }

    private protected abstract string TransportName { get; }

    /// <summary>Starts this rank of a ring over <paramref name="transport"/> (see the transport's own StartAsync).</summary>
    public static async Task<RingCollectives> StartAsync(RingTransport transport, RingOptions options, ILoggerFactory? loggerFactory = null,
        CancellationToken cancellation = default) => transport switch
    {
        RingTransport.Grpc => await GrpcRingCollectives.StartAsync(options, loggerFactory, cancellation).ConfigureAwait(false),
        RingTransport.Tcp => await TcpRingCollectives.StartAsync(options, loggerFactory, cancellation).ConfigureAwait(false),
        _ => throw new ArgumentOutOfRangeException(nameof(transport), transport, "Unknown ring transport."),
    };

    public Task AllReduceAsync(Tensor tensor, ReduceOp op, CancellationToken cancellation = default)
    {
        var memory = new NativeTensorMemory(tensor);
        if (WorldSize > 1 && _smallAllReduceBytes > 0 && memory.LengthBytes <= _smallAllReduceBytes)
        {
            return GatheredAllReduceAsync(tensor, memory, op, cancellation);
        }

        var segments = RingSegment.Balanced(tensor.numel(), memory.ElementSize, WorldSize);
        var plan = RingPlan.ReduceScatter(Rank, segments, op == ReduceOp.Average, thenAllGather: true);
        return RunAsync(TensorArguments.Signature("AllReduce", tensor, op.ToString()), plan, memory, op, cancellation);
    }

    /// <summary>
    /// The small all-reduce: every rank's whole tensor travels the ring once (an all-gather into a scratch tensor, N-1
    /// steps of one whole tensor each, in ChunkBytes frames), then each rank reduces segment j as the ring's owner j would, in place in the scratch:
    /// block j+2 (op)= block j+1, block j+3 (op)= block j+2, ..., block j (op)= block j-1 (the receiving rank's own copy
    /// first, the partial result second), so the result is bit for bit the ring's, for Max and Min with NaN too.
    /// </summary>
    private Task GatheredAllReduceAsync(Tensor tensor, NativeTensorMemory memory, ReduceOp op, CancellationToken cancellation)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int n = WorldSize;
        long length = memory.LengthBytes;
        var gathered = new NativeTensorMemory(GatheredScratch(tensor.dtype));
        var blocks = RingSegment.Blocks(n, length);
        var segments = RingSegment.Balanced(tensor.numel(), memory.ElementSize, n);
        // The algorithm is part of the signature: ranks configured with different thresholds fail with a mismatch.
        string signature = TensorArguments.Signature("AllReduce", tensor, op.ToString()) + " gathered";
        return RunAsync(signature, RingPlan.AllGather(Rank, blocks), gathered, op, cancellation,
            prepare: () => NativeTensorMemory.Copy(memory, 0, gathered, Rank * length, length),
            finish: () =>
            {
                for (int j = 0; j < n; j++)
                {
                    var segment = segments[j];
                    int bytes = (int)segment.LengthBytes;
                    if (bytes == 0)
                    {
                        continue;
                    }
                    for (int k = 2; k <= n; k++)
                    {
                        long own = (((j + k) % n) * length) + segment.OffsetBytes;
                        long partial = (((j + k - 1) % n) * length) + segment.OffsetBytes;
                        ElementwiseReduction.Accumulate(memory.DType, op, gathered.Slice(own, bytes), gathered.Slice(partial, bytes));
                    }
                    long result = (j * length) + segment.OffsetBytes;
                    if (op == ReduceOp.Average)
                    {
                        ElementwiseReduction.DivideInPlace(memory.DType, gathered.Slice(result, bytes), n);
                    }
                    gathered.Slice(result, bytes).CopyTo(memory.Slice(segment.OffsetBytes, bytes));
                }
            });
    }

    /// <summary>This ring's scratch for small all-reduces of one dtype: N blocks of the largest small tensor, kept.</summary>
    private Tensor GatheredScratch(ScalarType dtype)
    {
        lock (_gathered)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_gathered.TryGetValue(dtype, out var scratch))
            {
                using var probe = empty(0, dtype);
                long elements = WorldSize * (_smallAllReduceBytes / probe.ElementSize);
                // Kept across calls, so out of the caller's dispose scope.
                scratch = empty(elements, dtype).DetachFromDisposeScope();
                _gathered[dtype] = scratch;
            }

            return scratch;
        }
    }

    public async Task<Tensor> AllGatherAsync(Tensor tensor, CancellationToken cancellation = default)
    {
        var input = new NativeTensorMemory(tensor);
        if (tensor.dim() == 0)
        {
            throw new ArgumentException("All-gather concatenates along dim 0; got a 0-d tensor.", nameof(tensor));
        }

        var shape = tensor.shape.ToArray();
        shape[0] *= WorldSize;
        var output = empty(shape, tensor.dtype); // on the caller's thread, so it joins the caller's dispose scope
        try
        {
            var memory = new NativeTensorMemory(output);
            NativeTensorMemory.Copy(input, 0, memory, Rank * input.LengthBytes, input.LengthBytes);
            var blocks = RingSegment.Blocks(WorldSize, input.LengthBytes);
            await RunAsync(TensorArguments.Signature("AllGather", tensor), RingPlan.AllGather(Rank, blocks), memory, ReduceOp.Sum, cancellation).ConfigureAwait(false);
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
        using var work = tensor.clone();
        try
        {
            var memory = new NativeTensorMemory(work);
            var blockBytes = memory.LengthBytes / WorldSize;
            var blocks = RingSegment.Blocks(WorldSize, blockBytes);
            var plan = RingPlan.ReduceScatter(Rank, blocks, op == ReduceOp.Average, thenAllGather: false);
            await RunAsync(TensorArguments.Signature("ReduceScatter", tensor, op.ToString()), plan, memory, op, cancellation).ConfigureAwait(false);
            NativeTensorMemory.Copy(memory, Rank * blockBytes, new NativeTensorMemory(output), 0, blockBytes);
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
        var memory = new NativeTensorMemory(tensor);
        TensorArguments.RequireRank(root, WorldSize, nameof(root));
        var plan = RingPlan.Broadcast(Rank, root, WorldSize, new RingSegment(0, memory.LengthBytes));
        return RunAsync(TensorArguments.Signature("Broadcast", tensor, $"root {root}"), plan, memory, ReduceOp.Sum, cancellation);
    }

    /// <summary>An all-gather of nothing: after its N-1 steps every rank has heard (transitively) from every other.</summary>
    public Task BarrierAsync(CancellationToken cancellation = default) =>
        RunAsync("Barrier()", RingPlan.AllGather(Rank, new RingSegment[WorldSize]), default, ReduceOp.Sum, cancellation);

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_transport is not null)
        {
            await _transport.DisposeAsync().ConfigureAwait(false);
        }

        await DisposeListenerAsync().ConfigureAwait(false);
        // A collective still in flight (its links are closed now, so it is failing) may still touch the scratch:
        // free it only once none runs, else leave it to the finalizer rather than free memory in use.
        if (SpinWait.SpinUntil(() => Volatile.Read(ref _busy) == 0, TimeSpan.FromSeconds(5)))
        {
            lock (_gathered)
            {
                foreach (var scratch in _gathered.Values)
                {
                    scratch.Dispose();
                }
                _gathered.Clear();
            }
        }
        GC.SuppressFinalize(this);
    }

    /// <summary>Stops what accepts the predecessor's link (the transport's own links are closed before this).</summary>
    private protected abstract ValueTask DisposeListenerAsync();

    /// <param name="prepare">Runs once this call owns the ring, before the exchange (fills a shared scratch).</param>
    /// <param name="finish">Runs after a successful exchange, while this call still owns the ring.</param>
    private async Task RunAsync(string signature, RingPlan plan, NativeTensorMemory memory, ReduceOp op, CancellationToken cancellation,
        Action? prepare = null, Action? finish = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_fault is not null)
        {
            throw new InvalidOperationException($"Rank {Rank}: the ring failed in an earlier collective and cannot be used again: {_fault.Message}", _fault);
        }

        if (Interlocked.Exchange(ref _busy, 1) == 1)
        {
            throw new InvalidOperationException($"Rank {Rank}: {signature} called while another collective is running; call collectives one at a time.");
        }

        var sequence = ++_sequence;
        try
        {
            prepare?.Invoke();
            if (_exchange is not null)
            {
                await _exchange.RunAsync(sequence, signature, plan, memory, op, cancellation).ConfigureAwait(false);
            }
            finish?.Invoke();
        }
        catch (Exception e)
        {
            _fault = e;
            RingLog.CollectiveFailed(_logger, e, Rank, sequence, signature);
            await TellSuccessorAsync(e, sequence, signature).ConfigureAwait(false);
            throw;
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Best effort: the abort travels around the ring so the others fail now instead of at their deadline.</summary>
    private async Task TellSuccessorAsync(Exception error, long sequence, string signature)
    {
        if (_exchange is null || _transport is null)
        {
            return;
        }

        var reason = error is CollectiveAbortedException ? error.Message : $"Rank {Rank} failed in collective #{sequence} {signature}: {error.Message}";
        try
        {
            var abort = new RingFrameHeader(RingFrameKind.Abort, Rank, sequence, Signature: signature, AbortReason: reason);
            var timeout = TimeSpan.FromTicks(Math.Min(_options.ExchangeTimeout.Ticks, TimeSpan.FromSeconds(2).Ticks));
            await _exchange.SendAsync(abort, ReadOnlyMemory<byte>.Empty, CancellationToken.None, timeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RingPeerException or CollectiveTimeoutException or InvalidOperationException or OperationCanceledException)
        {
            RingLog.AbortNotDelivered(_logger, Rank, _transport.Successor.ToString(), e.Message);
        }
    }
}
