using Leap.Data.Images;

namespace Leap.Data.Transforms;

/// <summary>Crops a Height x Width region whose top-left corner is uniform over every position that fits.</summary>
public sealed class RandomCrop : IImageTransform
{
    public RandomCrop(int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        Height = height;
        Width = width;
    }

    public int Height { get; }
    public int Width { get; }

    /// <summary>The corner this transform uses for <paramref name="key"/>: top in [0, H - h], left in [0, W - w].</summary>
    public (int Top, int Left) DrawOrigin(int imageHeight, int imageWidth, AugmentationKey key)
    {
        AugmentationRandom random = key.Random();
        int top = random.NextInt(imageHeight - Height + 1);
        int left = random.NextInt(imageWidth - Width + 1);
        return (top, left);
    }

    public ImageBuffer Apply(ImageBuffer image, AugmentationKey key)
    {
        ArgumentNullException.ThrowIfNull(image);
        CropBounds.EnsureFits(image, Height, Width);
        (int top, int left) = DrawOrigin(image.Height, image.Width, key);
        return image.Crop(top, left, Height, Width);
    }
}
