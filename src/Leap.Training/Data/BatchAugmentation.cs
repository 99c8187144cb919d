using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Leap.Core.Augmentation;
using Leap.Training.Configuration;
using static TorchSharp.torch;

namespace Leap.Training.Data;

/// <summary>
/// Random horizontal flip and pad-and-crop of a training batch [B, C, H, W], then random erasing
/// (<see cref="RandomErasing"/>), the standard re-ID / face recipe. Each
/// sample's draw is a pure function of (seed, step, source index), so a sample is augmented the same way on any worker
/// and at any position in the batch, and a resumed run repeats the draws of the uninterrupted one. A contiguous float32
/// batch on the CPU (what the loaders hand the step) is augmented by one pass of row copies on the calling thread; any
/// other batch by tensor operations with the same result.
/// </summary>
public sealed class BatchAugmentation(AugmentationOptions options, long seed)
{
    /// <summary>Keeps these draws apart from the alpha and sampling streams that hash the same seed.</summary>
    private const ulong Stream = 0xA0C3_11F5_0E2B_7D49UL;

    private readonly ulong _seed = CounterNormal.Mix(unchecked((ulong)seed) ^ Stream);

    private readonly RandomErasing _erasing = new(options.RandomErasing, seed);

    public bool Enabled => options.HorizontalFlip || options.PadCrop > 0 || _erasing.Enabled;

    /// <summary>One sample's draw: whether it is mirrored and where its crop starts in the padded image.</summary>
    public (bool Flip, int Top, int Left) Draw(long step, long sourceIndex)
    {
        ulong key = CounterNormal.Mix(CounterNormal.StepKey(_seed, step) ^ CounterNormal.Mix(unchecked((ulong)sourceIndex)));
        int span = (2 * options.PadCrop) + 1;
        bool flip = options.HorizontalFlip && (key & 1) == 1;
        return options.PadCrop == 0 ? (flip, 0, 0) : (flip, (int)((key >> 8) % (ulong)span), (int)((key >> 32) % (ulong)span));
    }

    /// <summary>
    /// The augmented batch (a new tensor in the caller's dispose scope), or <paramref name="images"/> itself when off:
    /// flip and pad-crop, then random erasing (<see cref="RandomErasing"/>) of the result.
    /// </summary>
    public Tensor Apply(Tensor images, ReadOnlySpan<long> sourceIndices, long step)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (!Enabled)
        {
            return images;
        }

        Tensor result = options.HorizontalFlip || options.PadCrop > 0 ? FlipAndCrop(images, sourceIndices, step) : images.clone();
        _erasing.EraseInPlace(result, sourceIndices, step);
        return result;
    }

    private Tensor FlipAndCrop(Tensor images, ReadOnlySpan<long> sourceIndices, long step)
    {
        long batch = images.shape[0];
        if (batch != sourceIndices.Length)
        {
            throw new ArgumentException($"{batch} images but {sourceIndices.Length} source indices.", nameof(sourceIndices));
        }

        var draws = new (bool Flip, int Top, int Left)[batch];
        for (int i = 0; i < batch; i++)
        {
            draws[i] = Draw(step, sourceIndices[i]);
        }

        if (images.device_type == TorchSharp.DeviceType.CPU && images.dtype == ScalarType.Float32 && images.is_contiguous() && images.numel() * sizeof(float) <= int.MaxValue)
        {
            return ApplyToRows(images, draws);
        }

        using var scope = NewDisposeScope();
        Tensor result = images;
        if (options.HorizontalFlip)
        {
            using var mask = tensor(draws.Select(d => d.Flip).ToArray(), ScalarType.Bool, images.device).view(batch, 1, 1, 1);
            result = where(mask, images.flip(3), images);
        }

        if (options.PadCrop > 0)
        {
            int pad = options.PadCrop;
            long height = images.shape[2];
            long width = images.shape[3];
            var padded = nn.functional.pad(result, [pad, pad, pad, pad]);
            result = stack(draws.Select((d, i) => padded[i].narrow(1, d.Top, height).narrow(2, d.Left, width)).ToArray());
        }

        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The same flip and pad-crop as the tensor path, written row by row into a new tensor: output (y, x) of a sample is
    /// input (y + top - pad, x + left - pad) of the (mirrored) sample, zero outside it. One pass, no intra-op threads
    /// (libtorch's strided stack of per-sample crops costs tens of ms per batch, and far more when the cores are busy).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once per batch: optimised from the first call, not after on-stack replacement
    private Tensor ApplyToRows(Tensor images, (bool Flip, int Top, int Left)[] draws)
    {
        int channels = checked((int)images.shape[1]);
        int height = checked((int)images.shape[2]);
        int width = checked((int)images.shape[3]);
        int pad = options.PadCrop;
        ReadOnlySpan<float> source = MemoryMarshal.Cast<byte, float>(images.bytes);
        // libtorch's allocator reuses its memory from batch to batch; a new managed array of this size would be fresh pages.
        Tensor result = empty(images.shape, ScalarType.Float32);
        Span<float> output = MemoryMarshal.Cast<byte, float>(result.bytes);
        for (int b = 0; b < draws.Length; b++)
        {
            var (flip, top, left) = draws[b];
            int dy = top - pad;
            int dx = left - pad;
            int x0 = Math.Max(0, -dx);
            int x1 = Math.Min(width, width - dx);
            for (int c = 0; c < channels; c++)
            {
                int plane = ((b * channels) + c) * height;
                for (int y = 0; y < height; y++)
                {
                    Span<float> to = output.Slice((plane + y) * width, width);
                    int sy = y + dy;
                    if (sy < 0 || sy >= height || x1 <= x0)
                    {
                        to.Clear();
                        continue;
                    }

                    ReadOnlySpan<float> from = source.Slice((plane + sy) * width, width);
                    to[..x0].Clear();
                    to[x1..].Clear();
                    if (flip)
                    {
                        for (int x = x0; x < x1; x++)
                        {
                            to[x] = from[width - 1 - (x + dx)];
                        }
                    }
                    else
                    {
                        from.Slice(x0 + dx, x1 - x0).CopyTo(to[x0..x1]);
                    }
                }
            }
        }

        return result;
    }
}
