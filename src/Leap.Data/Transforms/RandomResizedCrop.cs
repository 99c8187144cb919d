using Leap.Data.Images;

namespace Leap.Data.Transforms;

/// <summary>
/// torchvision's <c>RandomResizedCrop(size, scale=(MinimumArea, 1), ratio=(3/4, 4/3))</c>: up to <see cref="Tries"/>
/// times, draw an area fraction uniform in [MinimumArea, 1] and an aspect ratio (width / height) log-uniform in
/// [3/4, 4/3], take w = round(sqrt(area x ratio)) and h = round(sqrt(area / ratio)) (ties to even, as Python's round),
/// and keep the first region that fits, at a uniform position. When none fits, torchvision's fallback: the central
/// region of the whole image, narrowed to the nearest ratio in range. The region is resized to Height x Width with
/// <see cref="BilinearResize"/> (no antialiasing, unlike torchvision on PIL images).
/// </summary>
public sealed class RandomResizedCrop : IImageTransform
{
    public const int Tries = 10;
    public const double MinimumRatio = 3.0 / 4.0;
    public const double MaximumRatio = 4.0 / 3.0;

    /// <param name="minimumArea">Smallest fraction of the image's area a region covers, in (0, 1].</param>
    public RandomResizedCrop(int height, int width, double minimumArea)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (!(minimumArea > 0 && minimumArea <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(minimumArea), minimumArea, "Must lie in (0, 1].");
        }

        Height = height;
        Width = width;
        MinimumArea = minimumArea;
    }

    public int Height { get; }
    public int Width { get; }
    public double MinimumArea { get; }

    /// <summary>The region this transform crops for <paramref name="key"/> from an image of the given size.</summary>
    public (int Top, int Left, int Height, int Width) DrawRegion(int imageHeight, int imageWidth, AugmentationKey key)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageWidth);
        AugmentationRandom random = key.Random();
        double area = (double)imageHeight * imageWidth;
        double logLow = Math.Log(MinimumRatio);
        double logHigh = Math.Log(MaximumRatio);
        for (int attempt = 0; attempt < Tries; attempt++)
        {
            double target = area * (MinimumArea + ((1 - MinimumArea) * random.NextDouble()));
            double ratio = Math.Exp(logLow + ((logHigh - logLow) * random.NextDouble()));
            int w = Round(Math.Sqrt(target * ratio));
            int h = Round(Math.Sqrt(target / ratio));
            if (w > 0 && w <= imageWidth && h > 0 && h <= imageHeight)
            {
                int top = random.NextInt(imageHeight - h + 1);
                int left = random.NextInt(imageWidth - w + 1);
                return (top, left, h, w);
            }
        }

        (int height, int width) = ((double)imageWidth / imageHeight) switch
        {
            < MinimumRatio => (Round(imageWidth / MinimumRatio), imageWidth),
            > MaximumRatio => (imageHeight, Round(imageHeight * MaximumRatio)),
            _ => (imageHeight, imageWidth),
        };
        return ((imageHeight - height) / 2, (imageWidth - width) / 2, height, width);
    }

    public ImageBuffer Apply(ImageBuffer image, AugmentationKey key)
    {
        ArgumentNullException.ThrowIfNull(image);
        (int top, int left, int height, int width) = DrawRegion(image.Height, image.Width, key);
        return BilinearResize.Resize(image.Crop(top, left, height, width), Height, Width);
    }

    private static int Round(double value) => (int)Math.Round(value, MidpointRounding.ToEven);
}
