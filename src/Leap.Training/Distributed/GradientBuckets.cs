using TorchSharp.Modules;

namespace Leap.Training.Distributed;

/// <summary>
/// PyTorch DDP's bucket rule: consecutive parameters that have a gradient, grouped into buckets of at most
/// <c>bucketBytes</c> (a parameter larger than that gets a bucket of its own). Every rank cuts the same buckets.
/// </summary>
public static class GradientBuckets
{
    public const long DefaultBytes = 25L << 20;

    public static List<List<Parameter>> Split(IEnumerable<Parameter> parameters, long bucketBytes)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var buckets = new List<List<Parameter>>();
        var bucket = new List<Parameter>();
        long bytes = 0;
        foreach (var p in parameters)
        {
            if (p.grad is null)
            {
                continue;
            }
            long size = p.grad.numel() * p.grad.element_size();
            if (bucket.Count > 0 && bytes + size > bucketBytes)
            {
                buckets.Add(bucket);
                bucket = [];
                bytes = 0;
            }
            bucket.Add(p);
            bytes += size;
        }
        if (bucket.Count > 0)
        {
            buckets.Add(bucket);
        }
        return buckets;
    }
}
