using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Leap.Collectives;

/// <summary>
/// The element-wise arithmetic of every collective, on raw little-endian bytes. Each element is combined with one
/// IEEE operation (SIMD lanes round exactly like scalar code), so the result depends only on the order of the
/// operands, never on vector width or timing.
/// </summary>
internal static class ElementwiseReduction
{
    /// <summary>accumulator[i] = accumulator[i] (op) incoming[i]. Average accumulates a sum; see <see cref="DivideInPlace"/>.</summary>
    public static void Accumulate(ScalarType dtype, ReduceOp op, Span<byte> accumulator, ReadOnlySpan<byte> incoming)
    {
        if (accumulator.Length != incoming.Length)
        {
            throw new ArgumentException($"Cannot combine {incoming.Length} bytes into {accumulator.Length}.", nameof(incoming));
        }

        switch (dtype)
        {
            case ScalarType.Float32:
                Accumulate(op, MemoryMarshal.Cast<byte, float>(accumulator), MemoryMarshal.Cast<byte, float>(incoming));
                break;
            case ScalarType.Float64:
                Accumulate(op, MemoryMarshal.Cast<byte, double>(accumulator), MemoryMarshal.Cast<byte, double>(incoming));
                break;
            case ScalarType.Int64:
                Accumulate(op, MemoryMarshal.Cast<byte, long>(accumulator), MemoryMarshal.Cast<byte, long>(incoming));
                break;
            default:
                throw new NotSupportedException($"No reduction for {dtype}.");
        }
    }

    /// <summary>values[i] /= divisor: the last step of Average (int64 truncates toward zero, like C# division).</summary>
    public static void DivideInPlace(ScalarType dtype, Span<byte> values, int divisor)
    {
        switch (dtype)
        {
            case ScalarType.Float32:
                Divide(MemoryMarshal.Cast<byte, float>(values), divisor);
                break;
            case ScalarType.Float64:
                Divide(MemoryMarshal.Cast<byte, double>(values), divisor);
                break;
            case ScalarType.Int64:
                Divide(MemoryMarshal.Cast<byte, long>(values), divisor);
                break;
            default:
                throw new NotSupportedException($"No division for {dtype}.");
        }
    }

    // Fully optimized from the first call: a collective runs these loops over megabytes a few times per step, so
    // tiered compilation would otherwise spend the first iterations in unoptimized (scalar-speed) code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Accumulate<T>(ReduceOp op, Span<T> accumulator, ReadOnlySpan<T> incoming)
        where T : unmanaged, INumber<T>
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            for (; i <= accumulator.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var a = new Vector<T>(accumulator[i..]);
                var b = new Vector<T>(incoming[i..]);
                var combined = op switch
                {
                    ReduceOp.Max => Vector.Max(a, b),
                    ReduceOp.Min => Vector.Min(a, b),
                    _ => a + b,
                };
                combined.CopyTo(accumulator[i..]);
            }
        }

        for (; i < accumulator.Length; i++)
        {
            accumulator[i] = op switch
            {
                ReduceOp.Max => T.Max(accumulator[i], incoming[i]),
                ReduceOp.Min => T.Min(accumulator[i], incoming[i]),
                _ => accumulator[i] + incoming[i],
            };
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Divide<T>(Span<T> values, int divisor)
        where T : unmanaged, INumber<T>
    {
        var d = T.CreateChecked(divisor);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] /= d;
        }
    }
}
