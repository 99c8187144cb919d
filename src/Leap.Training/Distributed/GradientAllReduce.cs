using Leap.Collectives;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Leap.Training.Distributed;

/// <summary>
/// Sums replicated parameters' gradients over ranks after backward, in flat buckets of at most <see cref="BucketBytes"/>
/// (<see cref="GradientBuckets"/>: 25 MB by default, as in PyTorch DDP), one blocking all-reduce per bucket.
/// TorchSharp exposes no per-parameter gradient-ready hook, so this path does not overlap communication with backward;
/// <see cref="OverlappedGradientSum"/> does, with a backward run stage by stage (Training:Distributed:OverlapGradients).
/// </summary>
public sealed class GradientAllReduce(ICollectives collectives, long bucketBytes = GradientBuckets.DefaultBytes)
{
    public long BucketBytes { get; } = bucketBytes;

    public void SumGradients(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (collectives.WorldSize == 1)
        {
            return;
        }
        foreach (var bucket in GradientBuckets.Split(parameters, BucketBytes))
        {
            using var scope = NewDisposeScope();
            var flat = FlatGradients.Of(bucket);
            collectives.AllReduceAsync(flat, ReduceOp.Sum).GetAwaiter().GetResult();
            FlatGradients.CopyBack(flat, bucket);
        }
    }
}
