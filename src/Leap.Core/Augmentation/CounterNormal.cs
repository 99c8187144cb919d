using static TorchSharp.torch;

namespace Leap.Core.Augmentation;

/// <summary>
/// Standard normal draws that are a pure function of a key (seed, step, sample, column, stream): SplitMix64
/// finalisers chained over the key, two 53-bit uniforms, Box-Muller. Being counter-based, a draw does not depend
/// on which process computes it or in which order, so a run on N workers reproduces a run on one.
/// The 64-bit arithmetic runs on int64 tensors (wrap-around multiply; logical shifts emulated with masks).
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
    /// Normal draws [samples.Length, columns.Length] for the given global sample indices and column keys.
    /// </summary>
    public static Tensor Sample(ulong stepKey, Tensor samples, Tensor columns, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var rowKeys = MixTensor(samples.to(ScalarType.Int64, CPU) + unchecked((long)stepKey));
        var keys = MixTensor(rowKeys.unsqueeze(1) ^ MixTensor(columns.to(ScalarType.Int64, CPU)).unsqueeze(0));
        var u1 = Uniform(MixTensor(keys + 1));
        var u2 = Uniform(MixTensor(keys + 2));
        var normal = (u1.log() * -2.0).sqrt() * (u2 * (2.0 * Math.PI)).cos();
        return normal.to(dtype).MoveToOuterDisposeScope();
    }

    /// <summary>SplitMix64 on every element of an int64 tensor.</summary>
    public static Tensor MixTensor(Tensor x)
    {
        using var scope = NewDisposeScope();
        var z = x + unchecked((long)Golden);
        z = (z ^ ShiftRightLogical(z, 30)) * unchecked((long)Mix1);
        z = (z ^ ShiftRightLogical(z, 27)) * unchecked((long)Mix2);
        return (z ^ ShiftRightLogical(z, 31)).MoveToOuterDisposeScope();
    }

    /// <summary>Uniform in (0, 1) from the top 53 bits of each key.</summary>
    private static Tensor Uniform(Tensor keys) =>
        (ShiftRightLogical(keys, 11).to(ScalarType.Float64) + 0.5) * (1.0 / (1UL << 53));

    private static Tensor ShiftRightLogical(Tensor x, int bits) =>
        x.bitwise_right_shift(bits).bitwise_and((long)((1UL << (64 - bits)) - 1));
}
