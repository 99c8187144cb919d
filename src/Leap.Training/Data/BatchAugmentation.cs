using Leap.Core.Augmentation;
using Leap.Training.Configuration;
using static TorchSharp.torch;

namespace Leap.Training.Data;

/// <summary>
/// Random horizontal flip and pad-and-crop of a training batch [B, C, H, W], the standard re-ID / face recipe. Each
/// sample's draw is a pure function of (seed, step, source index), so a sample is augmented the same way on any worker
/// and at any position in the batch, and a resumed run repeats the draws of the uninterrupted one.
/// </summary>
public sealed class BatchAugmentation(AugmentationOptions options, long seed)
{
    /// <summary>Keeps these draws apart from the alpha and sampling streams that hash the same seed.</summary>
    private const ulong Stream = 0xA0C3_11F5_0E2B_7D49UL;

    private readonly ulong _seed = CounterNormal.Mix(unchecked((ulong)seed) ^ Stream);

    public bool Enabled => options.HorizontalFlip || options.PadCrop > 0;

    /// <summary>One sample's draw: whether it is mirrored and where its crop starts in the padded image.</summary>
    public (bool Flip, int Top, int Left) Draw(long step, long sourceIndex)
    {
        ulong key = CounterNormal.Mix(CounterNormal.StepKey(_seed, step) ^ CounterNormal.Mix(unchecked((ulong)sourceIndex)));
        int span = (2 * options.PadCrop) + 1;
        bool flip = options.HorizontalFlip && (key & 1) == 1;
        return options.PadCrop == 0 ? (flip, 0, 0) : (flip, (int)((key >> 8) % (ulong)span), (int)((key >> 32) % (ulong)span));
    }

    /// <summary>The augmented batch (a new tensor in the caller's dispose scope), or <paramref name="images"/> itself when off.</summary>
    public Tensor Apply(Tensor images, ReadOnlySpan<long> sourceIndices, long step)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (!Enabled)
        {
            return images;
        }

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
}
