using Leap.Collectives;
using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace Leap.Training.Modeling;

/// <summary>
/// Max pooling of contiguous (NCHW) float32 CPU planes, in managed code. With it the small CNN's training step
/// (B = 64, 28 px, one thread, `leap bench step`) went from about 43 to 39 ms against libtorch 2.10's CPU max_pool2d;
/// on ResNet-18 it measured no faster, so TorchVision's ResNet keeps libtorch's. It runs on the calling thread only:
/// split over .NET threads while libtorch's OpenMP threads spin after their own parallel regions it was slower than
/// libtorch's parallel kernel (the same step with 2 threads: 34-36 against 37-40 ms), so with more than one intra-op
/// thread <see cref="ManagedMaxPool2d"/> leaves the pooling to libtorch. It picks the winner libtorch picks: a
/// window is scanned row by row from -inf and a value replaces the maximum when it is greater or NaN, so ties go to the
/// first maximum and the last NaN wins. The forward records each winner's index in its plane for <see cref="Backward"/>,
/// which adds each output gradient there (windows may overlap).
/// </summary>
internal static class MaxPool2dKernel
{
    /// <summary>Whether this kernel pools <paramref name="input"/>: contiguous float32 [N, C, H, W] on the CPU that <paramref name="window"/> covers.</summary>
    public static bool Supports(Tensor input, PoolWindow window) =>
        input.device_type == TorchSharp.DeviceType.CPU && input.dtype == ScalarType.Float32 && input.dim() == 4 &&
        input.shape[2] * input.shape[3] <= int.MaxValue && window.Covers(input.shape[2]) && window.Covers(input.shape[3]) &&
        input.is_contiguous();

    /// <summary>[N, C, H, W] -> [N, C, Ho, Wo]; with <paramref name="recordWinners"/>, <paramref name="winners"/> holds each output's input index (int32, within its plane).</summary>
    public static Tensor Forward(Tensor input, PoolWindow window, bool recordWinners, out Tensor? winners)
    {
        long n = input.shape[0], c = input.shape[1], h = input.shape[2], w = input.shape[3];
        long ho = window.OutputSize(h), wo = window.OutputSize(w), planes = n * c;
        Tensor output = empty([n, c, ho, wo], ScalarType.Float32);
        winners = recordWinners ? empty([n, c, ho, wo], ScalarType.Int32) : null;
        if (planes == 0)
        {
            return output;
        }

        unsafe
        {
            float* src = (float*)TensorAddress.Of(input);
            float* dst = (float*)TensorAddress.Of(output);
            int* won = winners is null ? null : (int*)TensorAddress.Of(winners);
            for (long p = 0; p < planes; p++)
            {
                PoolPlane(src + p * h * w, dst + p * ho * wo, won == null ? null : won + p * ho * wo, h, w, ho, wo, window);
            }
        }

        // The loop read and wrote through raw pointers: keep the tensors (and so their storage) alive until it is done.
        GC.KeepAlive(input);
        GC.KeepAlive(winners);

        return output;
    }

    /// <summary>The input gradient: the sum, at each input position, of the output gradients it won.</summary>
    public static Tensor Backward(Tensor outputGradient, Tensor winners, long[] inputShape)
    {
        long hw = inputShape[2] * inputShape[3], planes = inputShape[0] * inputShape[1], outputs = winners.shape[2] * winners.shape[3];
        Tensor gradient = zeros(inputShape, ScalarType.Float32);
        if (planes == 0)
        {
            return gradient;
        }

        using Tensor onCpu = outputGradient.to(ScalarType.Float32, CPU);
        using Tensor g = onCpu.contiguous();
        unsafe
        {
            float* src = (float*)TensorAddress.Of(g);
            float* dst = (float*)TensorAddress.Of(gradient);
            int* won = (int*)TensorAddress.Of(winners);
            for (long p = 0; p < planes; p++)
            {
                UnpoolPlane(src + p * outputs, won + p * outputs, dst + p * hw, outputs);
            }
        }

        GC.KeepAlive(g);
        GC.KeepAlive(winners);

        return gradient;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PoolPlane(float* input, float* output, int* winners, long h, long w, long ho, long wo, PoolWindow window)
    {
        int k = window.Kernel, s = window.Stride, pad = window.Padding;
        for (long oh = 0; oh < ho; oh++)
        {
            long top = oh * s - pad;
            long rowEnd = Math.Min(top + k, h);
            top = Math.Max(top, 0);
            for (long ow = 0; ow < wo; ow++)
            {
                long left = ow * s - pad;
                long columnEnd = Math.Min(left + k, w);
                left = Math.Max(left, 0);
                long at = top * w + left;
                float best = float.NegativeInfinity;
                for (long ih = top; ih < rowEnd; ih++)
                {
                    float* row = input + ih * w;
                    for (long iw = left; iw < columnEnd; iw++)
                    {
                        float v = row[iw];
                        if (v > best || float.IsNaN(v))
                        {
                            best = v;
                            at = ih * w + iw;
                        }
                    }
                }

                output[oh * wo + ow] = best;
                if (winners != null)
                {
                    winners[oh * wo + ow] = (int)at;
                }
            }
        }
    }

    private static unsafe void UnpoolPlane(float* outputGradient, int* winners, float* inputGradient, long outputs)
    {
        for (long o = 0; o < outputs; o++)
        {
            inputGradient[winners[o]] += outputGradient[o];
        }
    }
}
