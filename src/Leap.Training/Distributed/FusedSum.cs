using Leap.Collectives;
using static TorchSharp.torch;

namespace Leap.Training.Distributed;

/// <summary>A slice of a <see cref="FusedSum"/>'s flat tensor: where one contributed tensor's sum over ranks lies.</summary>
public readonly record struct FusedSegment(long Offset, long Length, long[] Shape)
{
    /// <summary>This segment of the summed flat tensor, in the contributed tensor's shape (a view).</summary>
    public Tensor Of(Tensor summed) => summed.narrow(0, Offset, Length).view(Shape);
}

/// <summary>
/// Several tensors summed over ranks in one all-reduce: each <see cref="Add"/> appends a tensor (as float32, on the
/// CPU) and returns its segment; <see cref="Sum"/> runs the collective once. One ring round-trip instead of one per
/// tensor, which is what a step of milliseconds cannot afford (#17). The result is bitwise identical on every rank,
/// so values derived from it (a skip decision, an average) agree everywhere.
/// </summary>
public sealed class FusedSum
{
    private readonly List<Tensor> _parts = [];
    private long _length;

    public FusedSegment Add(Tensor values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var flat = values.detach().reshape(-1).to(ScalarType.Float32).cpu();
        _parts.Add(flat);
        var segment = new FusedSegment(_length, flat.numel(), values.shape);
        _length += flat.numel();
        return segment;
    }

    /// <summary>Sums the appended tensors over the ranks; the caller reads them back with <see cref="FusedSegment.Of"/>.</summary>
    public Tensor Sum(ICollectives collectives)
    {
        ArgumentNullException.ThrowIfNull(collectives);
        var fused = Concatenated();
        collectives.AllReduceAsync(fused, ReduceOp.Sum).GetAwaiter().GetResult();
        return fused;
    }

    /// <summary>The appended tensors as one new flat float32 CPU tensor (what <see cref="Sum"/> all-reduces).</summary>
    public Tensor Concatenated()
    {
        if (_parts.Count == 0)
        {
            throw new InvalidOperationException("Nothing was added to the fused sum.");
        }
        return cat(_parts, 0).contiguous();
    }
}
