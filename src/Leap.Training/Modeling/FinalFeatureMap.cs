namespace Leap.Training.Modeling;

/// <summary>
/// The feature map the face backbones (<see cref="IResNet"/>, <see cref="MobileFaceNet"/>) end with: four stride-2
/// convolutions (3x3, padding 1, or 1x1) take n pixels to ceil(n / 2) each, so an axis of n pixels ends at ceil(n / 16)
/// (7 x 7 for the 112 x 112 crops they were designed for).
/// </summary>
internal static class FinalFeatureMap
{
    public const int Stride = 16;

    /// <exception cref="ArgumentException">An axis is shorter than <see cref="Stride"/> pixels; names the size.</exception>
    public static (int Height, int Width) For(int height, int width, string backbone)
    {
        if (height < Stride || width < Stride)
        {
            throw new ArgumentException(
                $"{backbone} needs images of at least {Stride}x{Stride} pixels (height x width); got {height}x{width} (set Data:ImageHeight and Data:ImageWidth).",
                nameof(height));
        }

        return ((height + Stride - 1) / Stride, (width + Stride - 1) / Stride);
    }
}
