using System.Numerics;
using static TorchSharp.torch;

namespace Leap.Core.Augmentation;

/// <summary>
/// Standard normal draws that are a pure function of a key (seed, step, sample, column, stream): SplitMix64
/// finalisers chained over the key, two 53-bit uniforms, Box-Muller. Being counter-based, a draw does not depend
/// on which process computes it or in which order, so a run on N workers reproduces a run on one.
/// </summary>
public static class CounterNormal
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    private const ulong Mix1 = 0xBF58476D1CE4E5B9UL;
    private const ulong Mix2 = 0x94D049BB133111EBUL;

    /// <summary>SplitMix64 of a scalar key.</summary>
    public static ulong Mix(ulong x)
    {
        unchecked
        {
            ulong z = x + Golden;
            z = (z ^ (z >> 30)) * Mix1;
            z = (z ^ (z >> 27)) * Mix2;
            return z ^ (z >> 31);
        }
    }

    /// <summary>Key prefix for one training step.</summary>
    public static ulong StepKey(ulong seed, long step) => Mix(Mix(seed) ^ unchecked((ulong)step));

    /// <summary>
    /// Normal draws [samples.Length, columns.Length] (float32 or float64, on the CPU) for the given global sample
    /// indices and column keys: <see cref="Draw"/> of each pair, computed in managed code, so a small batch costs a few
    /// microseconds where the same arithmetic as tensor operations cost dozens of kernel launches; large requests (a
    /// classifier's initialisation) are split by rows across torch's intra-op thread count.
    /// </summary>
    public static Tensor Sample(ulong stepKey, Tensor samples, Tensor columns, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(columns);
        if (dtype is not (ScalarType.Float32 or ScalarType.Float64))
        {
            throw new ArgumentException($"Draws are float32 or float64, not {dtype}.", nameof(dtype));
        }

        long[] sampleKeys = Keys(samples);
        long[] columnKeys = Keys(columns);
        ulong[] mixedColumns = [.. columnKeys.Select(c => Mix(unchecked((ulong)c)))];
        int rows = sampleKeys.Length;
        int width = mixedColumns.Length;
        long total = (long)rows * width;
        if (total > Array.MaxLength)
        {
            throw new ArgumentException($"{rows} x {width} draws exceed one array; request them in chunks of rows.", nameof(samples));
        }

        // As many cores as torch's intra-op threads (Threads), so the draws do not oversubscribe what the job was given.
        var options = new ParallelOptions { MaxDegreeOfParallelism = total >= ParallelThreshold ? Math.Max(1, get_num_threads()) : 1 };
        if (dtype == ScalarType.Float64)
        {
            var values = new double[total];
            Parallel.For(0, rows, options, r => FillRow(stepKey, sampleKeys[r], mixedColumns, values.AsSpan(r * width, width)));
            return tensor(values, [rows, width]);
        }

        var floats = new float[total];
        Parallel.For(0, rows, options, r => FillRow(stepKey, sampleKeys[r], mixedColumns, floats.AsSpan(r * width, width)));
        return tensor(floats, [rows, width]);
    }

    /// <summary>
    /// One standard normal draw: rowKey = Mix(sample + stepKey), key = Mix(rowKey xor Mix(column)), two 53-bit
    /// uniforms u1 = U(Mix(key + 1)), u2 = U(Mix(key + 2)) in (0, 1), then Box-Muller sqrt(-2 ln u1) cos(2 pi u2).
    /// </summary>
    public static double Draw(ulong stepKey, long sample, long column) =>
        DrawMixed(Mix(unchecked((ulong)sample + stepKey)), Mix(unchecked((ulong)column)));

    /// <summary>Draws per request at or above which <see cref="Sample"/> uses every core.</summary>
    private const long ParallelThreshold = 1 << 18;

    private static double DrawMixed(ulong rowKey, ulong mixedColumn)
    {
        ulong key = Mix(rowKey ^ mixedColumn);
        double u1 = Uniform(Mix(unchecked(key + 1)));
        double u2 = Uniform(Mix(unchecked(key + 2)));
        return Math.Sqrt(Math.Log(u1) * -2.0) * Math.Cos(u2 * (2.0 * Math.PI));
    }

    private static void FillRow<T>(ulong stepKey, long sample, ulong[] mixedColumns, Span<T> row)
        where T : IFloatingPoint<T>
    {
        ulong rowKey = Mix(unchecked((ulong)sample + stepKey));
        for (int c = 0; c < row.Length; c++)
        {
            row[c] = T.CreateTruncating(DrawMixed(rowKey, mixedColumns[c]));
        }
    }

    private static long[] Keys(Tensor keys)
    {
        using var cpu = keys.to(ScalarType.Int64, CPU).contiguous();
        return cpu.data<long>().ToArray();
    }

    /// <summary>Uniform in (0, 1) from the top 53 bits of a key.</summary>
    private static double Uniform(ulong bits) => ((bits >> 11) + 0.5) * (1.0 / (1UL << 53));
}
