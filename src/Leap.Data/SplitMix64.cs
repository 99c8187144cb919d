namespace Leap.Data;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): a tiny generator whose output is fixed by its definition, so a seed
/// reproduces the same splits and pairs on every .NET version (System.Random makes no such promise). Leap.Evaluation
/// compiles this file in too (a linked source), so there is one definition.
/// </summary>
internal struct SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>An independent stream for (seed, stream id): the pair is mixed, not just added.</summary>
    public static SplitMix64 ForStream(long seed, long stream)
    {
        var mixer = new SplitMix64(unchecked((ulong)seed));
        ulong a = mixer.NextUInt64();
        return new SplitMix64(a ^ Mix(unchecked((ulong)stream) + 0x632BE59BD9B4E019UL));
    }

    public ulong NextUInt64()
    {
        _state = unchecked(_state + 0x9E3779B97F4A7C15UL);
        return Mix(_state);
    }

    /// <summary>Uniform integer in [0, exclusiveBound), without modulo bias (Lemire's multiply-and-reject).</summary>
    public int NextInt(int exclusiveBound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exclusiveBound);
        return (int)NextUInt64Below((ulong)exclusiveBound);
    }

    /// <summary>Uniform integer in [0, exclusiveBound).</summary>
    public long NextLong(long exclusiveBound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exclusiveBound);
        return (long)NextUInt64Below((ulong)exclusiveBound);
    }

    private ulong NextUInt64Below(ulong bound)
    {
        ulong threshold = unchecked(0UL - bound) % bound;
        while (true)
        {
            ulong high = Math.BigMul(NextUInt64(), bound, out ulong low);
            if (low >= threshold)
            {
                return high;
            }
        }
    }

    private static ulong Mix(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
