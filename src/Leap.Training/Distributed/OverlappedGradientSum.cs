using Leap.Collectives;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Leap.Training.Distributed;

/// <summary>
/// One step's gradient sum over ranks, overlapped with backward: <see cref="Start"/> is called as soon as a group of
/// parameters' gradients is final (a stage of the backward is done); it flattens them into buckets
/// (<see cref="GradientBuckets"/>, the same rule as <see cref="GradientAllReduce"/>) on the calling thread and queues
/// one all-reduce per bucket on a background chain, then returns, so the caller computes the next stage's backward
/// while they run. The chain runs the all-reduces one at a time in the order they were started, which is the same on
/// every rank (a ring takes one collective at a time, in the same order everywhere). <see cref="Finish"/> waits for
/// them and copies the sums back into the gradients.
/// <para>
/// The flat buckets belong to this object, not to the caller's dispose scope: <see cref="Dispose"/> (also after a
/// failed step) first waits for the all-reduces still reading or writing them, then frees them. The background task
/// creates no tensors.
/// </para>
/// </summary>
public sealed class OverlappedGradientSum(ICollectives collectives, long bucketBytes = GradientBuckets.DefaultBytes) : IDisposable
{
    private readonly List<(List<Parameter> Bucket, Tensor Flat)> _buckets = [];
    private Task _chain = Task.CompletedTask;

    /// <summary>All-reduces started so far (for tests and measurements).</summary>
    public int Started => _buckets.Count;

    /// <summary>Queues the all-reduce of these parameters' gradients, which must be final; returns without waiting.</summary>
    public void Start(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (collectives.WorldSize == 1)
        {
            return;
        }
        foreach (var bucket in GradientBuckets.Split(parameters, bucketBytes))
        {
            var flat = FlatGradients.Of(bucket).DetachFromDisposeScope();
            _buckets.Add((bucket, flat));
            _chain = AfterAsync(_chain, flat);
        }
    }

    /// <summary>How long <see cref="Finish"/> waited for all-reduces that the backward did not hide.</summary>
    public TimeSpan Waited { get; private set; }

    /// <summary>Waits for every all-reduce started and writes the sums into the gradients.</summary>
    public void Finish()
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        _chain.GetAwaiter().GetResult();
        Waited = System.Diagnostics.Stopwatch.GetElapsedTime(start);
        foreach (var (bucket, flat) in _buckets)
        {
            FlatGradients.CopyBack(flat, bucket);
        }
    }

    public void Dispose()
    {
        try
        {
            _chain.Wait();
        }
        catch (AggregateException)
        {
            // Finish, or the exception that ended the step early, reports it.
        }
        foreach (var (_, flat) in _buckets)
        {
            flat.Dispose();
        }
        _buckets.Clear();
    }

    private async Task AfterAsync(Task previous, Tensor flat)
    {
        await previous.ConfigureAwait(false);
        // Off the training thread even when the collective does its work before its first await.
        await Task.Run(() => collectives.AllReduceAsync(flat, ReduceOp.Sum)).ConfigureAwait(false);
    }
}
