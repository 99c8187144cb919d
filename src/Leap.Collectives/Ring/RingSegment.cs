namespace Leap.Collectives.Ring;

/// <summary>A byte range of the tensor a ring step moves, cut into frames of at most the chunk size.</summary>
internal readonly record struct RingSegment(long OffsetBytes, long LengthBytes)
{
    /// <summary>Always at least one frame, even for an empty segment, so every step carries a signature check.</summary>
    public int ChunkCount(int chunkBytes) => (int)Math.Max(1, (LengthBytes + chunkBytes - 1) / chunkBytes);

    public (long Offset, int Length) Chunk(int index, int chunkBytes)
    {
        var start = (long)index * chunkBytes;
        return (OffsetBytes + start, (int)Math.Clamp(LengthBytes - start, 0, chunkBytes));
    }

    /// <summary><paramref name="parts"/> consecutive blocks of <paramref name="lengthBytes"/> each (block r at r * length).</summary>
    public static RingSegment[] Blocks(int parts, long lengthBytes) =>
        Enumerable.Range(0, parts).Select(r => new RingSegment(r * lengthBytes, lengthBytes)).ToArray();

    /// <summary>
    /// Splits <paramref name="elements"/> into <paramref name="parts"/> balanced runs: part j has n/N elements plus
    /// one if j &lt; n mod N (sizes not divisible by N, and tensors smaller than N, give some empty parts).
    /// </summary>
    public static RingSegment[] Balanced(long elements, int elementSize, int parts)
    {
        var quotient = elements / parts;
        var remainder = elements % parts;
        return Enumerable.Range(0, parts).Select(j =>
        {
            var start = (quotient * j) + Math.Min(j, remainder);
            var count = quotient + (j < remainder ? 1 : 0);
            return new RingSegment(start * elementSize, count * elementSize);
        }).ToArray();
    }
}
