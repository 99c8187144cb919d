using System.Numerics;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Leap.Core.Augmentation;

/// <summary>
/// Draws LEAP's angle perturbation alpha ~ N(0, std_i^2) for each sample i of a batch, std_i = sqrt(sigma^2 -
/// sigma_{y_i}^2) for cloud classes and 0 otherwise, keyed by (seed, step, global sample index, class column).
/// </summary>
public sealed class AlphaSampler
{
    public AlphaSampler(ulong seed, AlphaMode mode)
    {
        Seed = seed;
        Mode = mode;
    }

    public ulong Seed { get; }
    public AlphaMode Mode { get; }

    /// <param name="rowStd">[B] standard deviation of alpha per sample (0 = no cloud).</param>
    /// <param name="globalSampleIndices">[B] the samples' indices in the training set (stable across workers).</param>
    /// <param name="columnClassIds">[C_local] global class id of each classifier column on this shard.</param>
    /// <returns>[B, C_local] (per column) or [B, 1] (per sample); rows with std 0 are exactly zero.</returns>
    public Tensor Sample(long step, Tensor rowStd, Tensor globalSampleIndices, Tensor columnClassIds, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(rowStd);
        ArgumentNullException.ThrowIfNull(globalSampleIndices);
        ArgumentNullException.ThrowIfNull(columnClassIds);
        // Computed on the CPU in managed code (a batch's draws cost microseconds; as tensor kernels they cost a
        // fraction of a millisecond per step), float64 draw times float64 std, written straight into a zeroed CPU
        // tensor of the logits' dtype (float32 or float64; any other dtype through a float32 one). The inputs are read
        // in place and the output is libtorch's memory, which its allocator reuses from step to step: no managed
        // allocation grows with the batch or the shard's classes.
        using var scope = NewDisposeScope();
        ReadOnlySpan<double> std = CpuSpan<double>(rowStd, ScalarType.Float64);
        ReadOnlySpan<long> samples = CpuSpan<long>(globalSampleIndices, ScalarType.Int64);
        if (samples.Length != std.Length)
        {
            throw new ArgumentException($"{std.Length} standard deviations but {samples.Length} sample indices.", nameof(globalSampleIndices));
        }

        ReadOnlySpan<long> perSample = [-1];
        ReadOnlySpan<long> columns = Mode == AlphaMode.PerColumn ? CpuSpan<long>(columnClassIds, ScalarType.Int64) : perSample;
        ulong stepKey = CounterNormal.StepKey(Seed, step);
        ScalarType computed = dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;
        Tensor alpha = zeros([samples.Length, columns.Length], computed);
        if (computed == ScalarType.Float64)
        {
            Fill(MemoryMarshal.Cast<byte, double>(alpha.bytes), stepKey, std, samples, columns);
        }
        else
        {
            Fill(MemoryMarshal.Cast<byte, float>(alpha.bytes), stepKey, std, samples, columns);
        }

        return alpha.to(dtype).to(rowStd.device).MoveToOuterDisposeScope();
    }

    private static void Fill<T>(Span<T> alpha, ulong stepKey, ReadOnlySpan<double> std, ReadOnlySpan<long> samples, ReadOnlySpan<long> columns)
        where T : unmanaged, IFloatingPoint<T>
    {
        for (int r = 0; r < samples.Length; r++)
        {
            if (std[r] > 0)
            {
                Span<T> row = alpha.Slice(r * columns.Length, columns.Length);
                for (int c = 0; c < columns.Length; c++)
                {
                    row[c] = T.CreateTruncating(CounterNormal.Draw(stepKey, samples[r], columns[c]) * std[r]);
                }
            }
        }
    }

    /// <summary>
    /// The elements of <paramref name="t"/> as <typeparamref name="T"/>, read in place when it is already a contiguous
    /// CPU tensor of that type, otherwise from a converted copy that the caller's dispose scope owns.
    /// </summary>
    private static ReadOnlySpan<T> CpuSpan<T>(Tensor t, ScalarType type)
        where T : unmanaged
    {
        Tensor cpu = t.dtype == type && t.device_type == TorchSharp.DeviceType.CPU && t.is_contiguous() ? t : t.to(type, CPU).contiguous();
        return MemoryMarshal.Cast<byte, T>(cpu.bytes);
    }
}
