using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Leap.Data.Sources;
using Leap.Data.Transforms;
using static TorchSharp.torch;

namespace Leap.Training.Data;

/// <summary>
/// Streams one rank's slices of the global batches: a background producer takes the rows of step s from the seeded
/// epoch plan (rank r's slice), reads and decodes only those samples on the decoder's bounded thread pool, and queues
/// the finished batch; at most <c>depth</c> batches wait in the queue. Memory is model + depth x local batch, whatever
/// the number of records. Each sample is augmented while decoded (when an augmentation is given), keyed by (seed, step,
/// source sample). The bytes of a batch depend only on (plan, step, rank), never on threads or timing, so N workers see
/// exactly the global batch one process sees. Pixel buffers are rented from the shared pool and copied into the batch
/// tensor (<see cref="PooledPixels"/>). A failure while decoding (a corrupt image under Throw, an
/// unreadable file) is rethrown by <see cref="Take"/> on the training thread, naming the file; it never hangs.
/// </summary>
public sealed class PrefetchingBatches : ITrainingBatches
{
    private readonly TrainingSamples _samples;
    private readonly BatchDecoder _decoder;
    private readonly EpochPlan _plan;
    private readonly int _rank;
    private readonly int _worldSize;
    private readonly int _depth;
    private readonly SampleAugmentation? _augmentation;
    private readonly long[] _shape;
    private Channel<Prepared>? _queue;
    private CancellationTokenSource? _stop;
    private Task? _producer;
    private long _next = -1;

    /// <param name="augmentation">Per-sample training augmentation applied while decoding; null = none.</param>
    public PrefetchingBatches(TrainingSamples samples, BatchDecoder decoder, EpochPlan plan, int rank, int worldSize, int depth,
        SampleAugmentation? augmentation = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        if (plan.GlobalBatchSize % worldSize != 0)
        {
            throw new ArgumentException($"The global batch {plan.GlobalBatchSize} is not divisible by {worldSize} workers.", nameof(worldSize));
        }

        _samples = samples;
        _decoder = decoder;
        _plan = plan;
        _rank = rank;
        _worldSize = worldSize;
        _depth = depth;
        _augmentation = augmentation;
        var p = decoder.Preprocessor;
        _shape = [plan.GlobalBatchSize / worldSize, p.Channels, p.Height, p.Width];
    }

    public TrainingBatch Take(long step)
    {
        if (_producer is null || step != _next)
        {
            Restart(step);
        }

        var clock = Stopwatch.StartNew();
        Prepared batch = _queue!.Reader.ReadAsync().AsTask().GetAwaiter().GetResult();
        TimeSpan wait = clock.Elapsed;
        batch.Error?.Throw();
        Debug.Assert(batch.Step == step, "The producer runs steps in order from the requested one.");
        _next = step + 1;
        return new TrainingBatch(PooledPixels.ToTensor(batch.Pixels!, _shape), tensor(batch.Labels, ScalarType.Int64), tensor(batch.Sources, ScalarType.Int64), wait);
    }

    private void Restart(long step)
    {
        StopProducer();
        _queue = Channel.CreateBounded<Prepared>(new BoundedChannelOptions(_depth) { SingleReader = true, SingleWriter = true });
        _stop = new CancellationTokenSource();
        var queue = _queue;
        var token = _stop.Token;
        _producer = Task.Run(() => ProduceAsync(step, queue.Writer, token), CancellationToken.None);
        _next = step;
    }

    private async Task ProduceAsync(long first, ChannelWriter<Prepared> writer, CancellationToken token)
    {
        for (long step = first; !token.IsCancellationRequested; step++)
        {
            Prepared batch;
            try
            {
                batch = Prepare(step);
            }
            catch (Exception e)
            {
                batch = new Prepared(step, null, [], [], ExceptionDispatchInfo.Capture(e));
            }

            try
            {
                await writer.WriteAsync(batch, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (batch.Error is not null)
            {
                return;
            }
        }
    }

    private Prepared Prepare(long step)
    {
        ReadOnlySpan<long> rows = _plan.Batch(step, _rank, _worldSize);
        var requested = new int[rows.Length];
        var labels = new long[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            requested[i] = _samples.SourceIndex(rows[i]);
            labels[i] = _samples.Label(rows[i]);
        }

        var pixels = PooledPixels.Rent(rows.Length * (long)_decoder.Preprocessor.RowSize);
        int[] used = _decoder.Decode(requested, pixels, _samples.SubstituteFor, _augmentation?.ForStep(step));
        return new Prepared(step, pixels, labels, Array.ConvertAll(used, i => (long)i), null);
    }

    private void StopProducer()
    {
        if (_producer is null)
        {
            return;
        }

        _stop!.Cancel();
        try
        {
            _producer.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        _producer = null;
    }

    public void Dispose() => StopProducer();

    private sealed record Prepared(long Step, float[]? Pixels, long[] Labels, long[] Sources, ExceptionDispatchInfo? Error);
}
