using static TorchSharp.torch;

namespace Leap.Training.Distributed;

/// <summary>A slice of a <see cref="FusedSum"/>'s flat tensor: where one contributed tensor's sum over ranks lies.</summary>
public readonly record struct FusedSegment(long Offset, long Length, long[] Shape)
{
    /// <summary>This segment of the summed flat tensor, in the contributed tensor's shape (a view).</summary>
    public Tensor Of(Tensor summed) => summed.narrow(0, Offset, Length).view(Shape);
}

/// <summary>
/// Several tensors to be summed over ranks in one all-reduce: each <see cref="Add"/> appends a tensor (as float32, on
/// the CPU) and returns its segment; <see cref="GradientReductionBuffer"/> copies them (<see cref="CopyInto"/>) behind
/// the gradients and runs the collective once. One ring round-trip instead of one per tensor, which is what a step of
/// milliseconds cannot afford (#17). The result is bitwise identical on every rank, so values derived from it (a skip
/// decision, an average) agree everywhere.
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

    /// <summary>Elements appended so far: the length of the flat tensor the segments index into.</summary>
    public long Length => _length;

    /// <summary>Copies every appended tensor to its segment of <paramref name="destination"/> (flat float32, <see cref="Length"/> elements).</summary>
    public void CopyInto(Tensor destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.numel() != _length)
        {
            throw new ArgumentException($"The destination has {destination.numel()} elements; the fused sum needs {_length}.", nameof(destination));
        }
        long offset = 0;
        foreach (var part in _parts)
        {
            destination.narrow(0, offset, part.numel()).copy_(part);
            offset += part.numel();
        }
    }
}
