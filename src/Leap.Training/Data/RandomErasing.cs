using Leap.Core.Augmentation;
using static TorchSharp.torch;

namespace Leap.Training.Data;

/// <summary>
/// Random erasing (Zhong et al., "Random Erasing Data Augmentation", AAAI 2020), the re-ID regulariser of the standard
/// recipes (fast-reid's REA), in torchvision's RandomErasing form: with probability p a sample gets one rectangle of area
/// fraction uniform in [0.02, 0.4] of the image and aspect ratio log-uniform in [0.3, 1/0.3] (the paper draws it
/// uniformly, with up to 100 tries) filled with zero, which in a normalised batch is the normalisation's mean colour
/// (ImageNet's mean under ImageNet normalisation, mid-grey otherwise; fast-reid fills with ImageNet's mean). Up to ten
/// rectangles are drawn until one fits; a sample whose ten draws all overflow the image stays whole. Like <see cref="BatchAugmentation"/>'s other draws, a
/// sample's draw is a pure function of (seed, step, source index): the same on any worker and at any batch position, and
/// repeated by a resumed run.
/// </summary>
public sealed class RandomErasing
{
    public const double MinimumArea = 0.02;
    public const double MaximumArea = 0.4;
    public const double MinimumAspect = 0.3;
    public const int Attempts = 10;

    /// <summary>Keeps these draws apart from the flip / crop stream and the alpha streams that hash the same seed.</summary>
    private const ulong Stream = 0x5E7A_93C1_D24B_6F08UL;

    private readonly double _probability;
    private readonly ulong _seed;

    /// <param name="probability">p in [0, 1]: the chance that a sample is erased; 0 = off.</param>
    public RandomErasing(double probability, long seed)
    {
        if (!(probability >= 0 && probability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "The erasing probability must lie in [0, 1].");
        }

        _probability = probability;
        _seed = CounterNormal.Mix(unchecked((ulong)seed) ^ Stream);
    }

    public bool Enabled => _probability > 0;

    /// <summary>One sample's rectangle in an image of <paramref name="height"/> x <paramref name="width"/>, or null when it is left whole.</summary>
    public (int Top, int Left, int Height, int Width)? Draw(long step, long sourceIndex, int height, int width)
    {
        ulong key = CounterNormal.Mix(CounterNormal.StepKey(_seed, step) ^ CounterNormal.Mix(unchecked((ulong)sourceIndex)));
        if (!Enabled || Uniform(ref key) >= _probability)
        {
            return null;
        }

        double area = (double)height * width;
        double logAspect = Math.Log(MinimumAspect);
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            double target = area * (MinimumArea + ((MaximumArea - MinimumArea) * Uniform(ref key)));
            double aspect = Math.Exp(logAspect + (-2 * logAspect * Uniform(ref key)));
            int h = (int)Math.Round(Math.Sqrt(target * aspect));
            int w = (int)Math.Round(Math.Sqrt(target / aspect));
            if (h >= 1 && w >= 1 && h < height && w < width)
            {
                int top = (int)(Next(ref key) % (ulong)(height - h + 1));
                int left = (int)(Next(ref key) % (ulong)(width - w + 1));
                return (top, left, h, w);
            }
        }

        return null;
    }

    /// <summary>Fills each drawn rectangle of the batch [B, C, H, W] with zero, in place; returns how many samples were erased.</summary>
    public int EraseInPlace(Tensor images, ReadOnlySpan<long> sourceIndices, long step)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4 || images.shape[0] != sourceIndices.Length)
        {
            throw new ArgumentException($"A batch [B, C, H, W] of {sourceIndices.Length} images was expected; got [{string.Join(", ", images.shape)}].", nameof(images));
        }

        int height = checked((int)images.shape[2]);
        int width = checked((int)images.shape[3]);
        int erased = 0;
        for (int i = 0; i < sourceIndices.Length; i++)
        {
            if (Draw(step, sourceIndices[i], height, width) is not { } box)
            {
                continue;
            }

            using var sample = images[i];
            using var rows = sample.narrow(1, box.Top, box.Height);
            using var window = rows.narrow(2, box.Left, box.Width);
            window.zero_();
            erased++;
        }

        return erased;
    }

    private static ulong Next(ref ulong key)
    {
        key = CounterNormal.Mix(key + 0x9E37_79B9_7F4A_7C15UL);
        return key;
    }

    /// <summary>Uniform in [0, 1) from the top 53 bits of the next value.</summary>
    private static double Uniform(ref ulong key) => (Next(ref key) >> 11) * (1.0 / (1UL << 53));
}
