using Leap.Collectives.Ring;
using Leap.Contracts.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;

namespace Leap.Collectives;

/// <summary>
/// <see cref="ICollectives"/> over a ring of processes: each rank hosts a gRPC peer service (Kestrel, HTTP/2
/// cleartext) and keeps one stream open to its successor (r + 1) mod N. All-reduce is a chunked, pipelined ring
/// reduce-scatter followed by a ring all-gather. Summation order: segment j (a balanced 1/N of the elements) is
/// reduced once, by rank j, as ((x_{j+1} + x_{j+2}) + ...) + x_j (indices mod N), then divided by N for Average, and
/// copied to every other rank — so all ranks hold bit-identical results, equal to the rank-order
/// <see cref="InProcessCollectives"/> result up to that summation order. After a failure (mismatch, timeout, lost
/// peer) every further call throws: the job generation has to restart.
/// </summary>
public sealed class GrpcRingCollectives : ICollectives
{
    private readonly RingOptions _options;
    private readonly RingPeerServer _server;
    private readonly RingLink? _link;
    private readonly RingExchange? _exchange;
    private readonly ILogger _logger;
    private long _sequence;
    private int _busy;
    private Exception? _fault;
    private bool _disposed;

    private GrpcRingCollectives(RingOptions options, RingPeerServer server, RingLink? link, RingExchange? exchange, ILogger logger)
    {
        _options = options;
        _server = server;
        _link = link;
        _exchange = exchange;
        _logger = logger;
    }

    public int Rank => _options.Rank;

    public int WorldSize => _options.WorldSize;

    public string Algorithm => $"ring over gRPC (reduce-scatter + all-gather, {_options.ChunkBytes >> 10} KiB chunks)";

    /// <summary>The port this rank's peer service listens on.</summary>
    public int Port => _server.Port;

    /// <summary>Validates <paramref name="options"/>, starts this rank's peer service and waits until the ring has formed.</summary>
    public static async Task<GrpcRingCollectives> StartAsync(RingOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellation = default)
    {
        RingOptionsValidator.ThrowIfInvalid(options);
        var own = RingAddress.Parse(options.Addresses[options.Rank]);
        var server = await RingPeerServer.StartAsync(own, options.ChunkBytes, options.KeepAliveInterval, cancellation).ConfigureAwait(false);
        try
        {
            return await ConnectAsync(options, server, loggerFactory, cancellation).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Forms the ring around an already running server (which may have been started on port 0).</summary>
    internal static async Task<GrpcRingCollectives> ConnectAsync(RingOptions options, RingPeerServer server, ILoggerFactory? loggerFactory, CancellationToken cancellation)
    {
        RingOptionsValidator.ThrowIfInvalid(options);
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<GrpcRingCollectives>();
        var n = options.WorldSize;
        if (n == 1)
        {
            return new GrpcRingCollectives(options, server, null, null, logger);
        }

        var successor = Neighbour(options, (options.Rank + 1) % n);
        var predecessor = Neighbour(options, (options.Rank + n - 1) % n);
        var link = await RingLink.OpenAsync(successor, options.Rank, n, options, cancellation).ConfigureAwait(false);
        try
        {
            var exchange = new RingExchange(options.Rank, n, link, server.Inbox, predecessor, options);
            var hello = await exchange.ReceiveAsync("its hello", cancellation, options.ConnectTimeout).ConfigureAwait(false);
            if (hello.Type != RingFrameType.Hello || hello.SenderRank != predecessor.Rank || hello.WorldSize != n)
            {
                throw new RingPeerException(predecessor.Rank, predecessor.Address.ToString(),
                    $"Rank {options.Rank} expected a hello from rank {predecessor.Rank} of a {n}-rank ring at {predecessor.Address}, " +
                    $"but got {hello.Type} from rank {hello.SenderRank} of a {hello.WorldSize}-rank ring; check {RingOptions.SectionName}:{nameof(RingOptions.Addresses)} on every rank.");
            }

            RingLog.RingFormed(logger, options.Rank, n, server.Port, successor.ToString(), predecessor.ToString(), options.ChunkBytes);
            return new GrpcRingCollectives(options, server, link, exchange, logger);
        }
        catch
        {
            await link.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Task AllReduceAsync(Tensor tensor, ReduceOp op, CancellationToken cancellation = default)
    {
        var memory = new NativeTensorMemory(tensor);
        var segments = RingSegment.Balanced(tensor.numel(), memory.ElementSize, WorldSize);
        var plan = RingPlan.ReduceScatter(Rank, segments, op == ReduceOp.Average, thenAllGather: true);
        return RunAsync(TensorArguments.Signature("AllReduce", tensor, op.ToString()), plan, memory, op, cancellation);
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
            var blocks = Enumerable.Range(0, WorldSize).Select(r => new RingSegment(r * input.LengthBytes, input.LengthBytes)).ToArray();
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
            var blocks = Enumerable.Range(0, WorldSize).Select(r => new RingSegment(r * blockBytes, blockBytes)).ToArray();
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
        if (_link is not null)
        {
            await _link.DisposeAsync().ConfigureAwait(false);
        }

        await _server.DisposeAsync().ConfigureAwait(false);
    }

    private async Task RunAsync(string signature, RingPlan plan, NativeTensorMemory memory, ReduceOp op, CancellationToken cancellation)
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
            if (_exchange is not null)
            {
                await _exchange.RunAsync(sequence, signature, plan, memory, op, cancellation).ConfigureAwait(false);
            }
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
        if (_link is null)
        {
            return;
        }

        var reason = error is CollectiveAbortedException ? error.Message : $"Rank {Rank} failed in collective #{sequence} {signature}: {error.Message}";
        try
        {
            var abort = new RingFrame { Type = RingFrameType.Abort, SenderRank = Rank, Sequence = sequence, Signature = signature, AbortReason = reason };
            var timeout = TimeSpan.FromTicks(Math.Min(_options.ExchangeTimeout.Ticks, TimeSpan.FromSeconds(2).Ticks));
            await _link.WriteAsync(abort, timeout, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RingPeerException or CollectiveTimeoutException or InvalidOperationException)
        {
            RingLog.AbortNotDelivered(_logger, Rank, _link.Successor.ToString(), e.Message);
        }
    }

    private static RingNeighbour Neighbour(RingOptions options, int rank) => new(rank, RingAddress.Parse(options.Addresses[rank]));
}
