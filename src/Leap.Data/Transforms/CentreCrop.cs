using Leap.Data.Images;

namespace Leap.Data.Transforms;

/// <summary>
/// Crops the central Height x Width region. The offset is round((in - out) / 2) with ties to even, as torchvision's
/// <c>center_crop</c> computes it, so both give the same pixels.
/// </summary>
public sealed class CentreCrop : IImageTransform
{
    public CentreCrop(int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        Height = height;
        Width = width;
    }

    public int Height { get; }
    public int Width { get; }

    public ImageBuffer Apply(ImageBuffer image, AugmentationKey key) => Crop(image, Height, Width);

    /// <exception cref="ArgumentException">The image is smaller than the crop.</exception>
    public static ImageBuffer Crop(ImageBuffer image, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(image);
        CropBounds.EnsureFits(image, height, width);
        int top = (int)Math.Round((image.Height - height) / 2.0, MidpointRounding.ToEven);
        int left = (int)Math.Round((image.Width - width) / 2.0, MidpointRounding.ToEven);
        return image.Crop(top, left, height, width);
    }
}

internal static class CropBounds
{
    public static void EnsureFits(ImageBuffer image, int height, int width)
    {
        if (height > image.Height || width > image.Width)
        {
            throw new ArgumentException(
                $"A {height}x{width} crop does not fit in a {image.Height}x{image.Width} image; resize first.", nameof(image));
        }
    }
}
