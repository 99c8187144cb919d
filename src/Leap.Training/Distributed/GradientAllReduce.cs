using Leap.Collectives;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Leap.Training.Distributed;

/// <summary>
/// Sums replicated parameters' gradients over ranks in flat buckets of at most <see cref="BucketBytes"/> (25 MB by
/// default, as in PyTorch DDP), one all-reduce per bucket. Runs after backward: TorchSharp exposes no per-parameter
/// gradient-ready hook, so communication is not overlapped with backward.
/// </summary>
public sealed class GradientAllReduce(ICollectives collectives, long bucketBytes = 25L << 20)
{
    public long BucketBytes { get; } = bucketBytes;

    public void SumGradients(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (collectives.WorldSize == 1)
        {
            return;
        }
        var bucket = new List<Parameter>();
        long bytes = 0;
        foreach (var p in parameters)
        {
            if (p.grad is null)
            {
                continue;
            }
            long size = p.grad.numel() * p.grad.element_size();
            if (bucket.Count > 0 && bytes + size > BucketBytes)
            {
                Flush(bucket);
                bucket.Clear();
                bytes = 0;
            }
            bucket.Add(p);
            bytes += size;
        }
        if (bucket.Count > 0)
        {
            Flush(bucket);
        }
    }

    private void Flush(List<Parameter> bucket)
    {
        using var scope = NewDisposeScope();
        var flat = cat(bucket.Select(p => p.grad!.detach().reshape(-1).cpu()).ToList(), 0).contiguous();
        collectives.AllReduceAsync(flat, ReduceOp.Sum).GetAwaiter().GetResult();
        long offset = 0;
        using (no_grad())
        {
            foreach (var p in bucket)
            {
                long n = p.grad!.numel();
                p.grad!.copy_(flat.narrow(0, offset, n).view_as(p.grad!).to(p.grad!.device));
                offset += n;
            }
        }
    }
}
