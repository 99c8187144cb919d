using Leap.Data.Images;

namespace Leap.Data.Transforms;

/// <summary>Mirrors the image left-right with probability <see cref="Probability"/>; otherwise returns a copy.</summary>
public sealed class RandomHorizontalFlip : IImageTransform
{
    public RandomHorizontalFlip(double probability = 0.5)
    {
        if (!(probability >= 0 && probability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "Must lie in [0, 1].");
        }

        Probability = probability;
    }

    public double Probability { get; }

    /// <summary>Whether this transform flips for <paramref name="key"/>.</summary>
    public bool DrawFlip(AugmentationKey key) => key.Random().NextDouble() < Probability;

    public ImageBuffer Apply(ImageBuffer image, AugmentationKey key)
    {
        ArgumentNullException.ThrowIfNull(image);
        return DrawFlip(key)
            ? image.FlipHorizontal()
            : new ImageBuffer(image.Channels, image.Height, image.Width, (float[])image.Data.Clone());
    }
}
