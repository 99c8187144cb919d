using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Leap.Training.Modeling;

/// <summary>
/// 2x2 max pooling with stride 2 (floor mode, no padding) over contiguous float32 CPU planes, in managed code.
/// libtorch 2.10's CPU kernel takes about 9.5 ms for [64, 32, 28, 28] on one thread (docs/benchmarks.md); this one
/// takes about a tenth of that. It picks what libtorch picks: windows are scanned row by row, a value replaces the
/// maximum when it is greater or NaN, so ties go to the first maximum and a NaN wins (the last NaN of the window).
/// The forward records which of the four positions won (0..3) for <see cref="Backward"/>.
/// </summary>
internal static class MaxPool2x2Kernel
{
    /// <summary>Planes of at least this many outputs in total are split across torch's intra-op threads.</summary>
    private const long ParallelThreshold = 1 << 15;

    /// <summary>Whether <paramref name="input"/> is something this kernel pools: contiguous float32 [N, C, H, W] on the CPU, H and W at least 2.</summary>
    public static bool Supports(Tensor input) =>
        input.device_type == TorchSharp.DeviceType.CPU && input.dtype == ScalarType.Float32 && input.dim() == 4 &&
        input.shape[2] >= 2 && input.shape[3] >= 2 && input.is_contiguous();

    /// <summary>[N, C, H, W] -> [N, C, H/2, W/2] (floor); <paramref name="winners"/> gets one byte per output when not null.</summary>
    public static Tensor Forward(Tensor input, out Tensor? winners, bool recordWinners)
    {
        long n = input.shape[0], c = input.shape[1], h = input.shape[2], w = input.shape[3];
        long ho = h / 2, wo = w / 2, planes = n * c;
        Tensor output = empty([n, c, ho, wo], ScalarType.Float32);
        winners = recordWinners ? empty([n, c, ho, wo], ScalarType.Byte) : null;
        if (planes * ho * wo == 0)
        {
            return output;
        }

        unsafe
        {
            float* src = (float*)AddressOf(input);
            float* dst = (float*)AddressOf(output);
            byte* won = winners is null ? null : (byte*)AddressOf(winners);
            ForEachPlane(planes, ho * wo, p => PoolPlane(src + p * h * w, dst + p * ho * wo, won == null ? null : won + p * ho * wo, w, ho, wo));
        }

        return output;
    }

    /// <summary>The input gradient: each output's gradient at its winning position, zero elsewhere.</summary>
    public static Tensor Backward(Tensor outputGradient, Tensor winners, long[] inputShape)
    {
        long h = inputShape[2], w = inputShape[3], ho = h / 2, wo = w / 2, planes = inputShape[0] * inputShape[1];
        Tensor gradient = zeros(inputShape, ScalarType.Float32);
        using Tensor g = outputGradient.to(ScalarType.Float32, CPU).contiguous();
        if (planes * ho * wo == 0)
        {
            return gradient;
        }

        unsafe
        {
            float* src = (float*)AddressOf(g);
            float* dst = (float*)AddressOf(gradient);
            byte* won = (byte*)AddressOf(winners);
            ForEachPlane(planes, ho * wo, p => UnpoolPlane(src + p * ho * wo, won + p * ho * wo, dst + p * h * w, w, ho, wo));
        }

        return gradient;
    }

    /// <summary>The address of element 0 of a non-empty contiguous CPU tensor, read through a one-element view (TorchSharp exposes it only as a span).</summary>
    private static unsafe void* AddressOf(Tensor tensor)
    {
        using var flat = tensor.view(-1);
        using var first = flat.narrow(0, 0, 1);
        return Unsafe.AsPointer(ref MemoryMarshal.GetReference(first.bytes));
    }

    private static void ForEachPlane(long planes, long outputsPerPlane, Action<long> body)
    {
        int threads = planes * outputsPerPlane >= ParallelThreshold ? Math.Max(1, get_num_threads()) : 1;
        if (threads == 1 || planes == 1)
        {
            for (long p = 0; p < planes; p++)
            {
                body(p);
            }

            return;
        }

        Parallel.For(0L, planes, new ParallelOptions { MaxDegreeOfParallelism = threads }, body);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PoolPlane(float* input, float* output, byte* winners, long w, long ho, long wo)
    {
        for (long oh = 0; oh < ho; oh++)
        {
            float* top = input + 2 * oh * w;
            float* bottom = top + w;
            float* outRow = output + oh * wo;
            byte* wonRow = winners == null ? null : winners + oh * wo;
            for (long ow = 0; ow < wo; ow++)
            {
                long x = 2 * ow;
                float best = top[x];
                byte at = 0;
                // The first candidate is taken unconditionally (libtorch starts from -inf: only a greater value or a NaN
                // replaces it, and -inf itself never would, so starting from the first value picks the same winner).
                float v = top[x + 1];
                if (v > best || float.IsNaN(v))
                {
                    best = v;
                    at = 1;
                }

                v = bottom[x];
                if (v > best || float.IsNaN(v))
                {
                    best = v;
                    at = 2;
                }

                v = bottom[x + 1];
                if (v > best || float.IsNaN(v))
                {
                    best = v;
                    at = 3;
                }

                outRow[ow] = best;
                if (wonRow != null)
                {
                    wonRow[ow] = at;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void UnpoolPlane(float* outputGradient, byte* winners, float* inputGradient, long w, long ho, long wo)
    {
        for (long oh = 0; oh < ho; oh++)
        {
            float* top = inputGradient + 2 * oh * w;
            for (long ow = 0; ow < wo; ow++)
            {
                byte at = winners[oh * wo + ow];
                top[2 * ow + (at & 1) + (at >> 1) * w] = outputGradient[oh * wo + ow];
            }
        }
    }
}
