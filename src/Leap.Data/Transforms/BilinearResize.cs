using Leap.Data.Images;

namespace Leap.Data.Transforms;

/// <summary>
/// Bilinear resize with half-pixel centres, the rule of PyTorch's
/// <c>interpolate(mode="bilinear", align_corners=False, antialias=False)</c>: output pixel d samples the source at
/// <c>max(0, (d + 0.5) * in / out - 0.5)</c>, blending the two nearest source pixels (the last one repeated at the
/// edge). No antialiasing, so strong downscaling aliases.
/// </summary>
public sealed class BilinearResize : IImageTransform
{
    public BilinearResize(int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        Height = height;
        Width = width;
    }

    public int Height { get; }
    public int Width { get; }

    public ImageBuffer Apply(ImageBuffer image, AugmentationKey key) => Resize(image, Height, Width);

    public static ImageBuffer Resize(ImageBuffer image, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        (int[] y0, int[] y1, float[] wy) = SourceTaps(image.Height, height);
        (int[] x0, int[] x1, float[] wx) = SourceTaps(image.Width, width);
        var resized = ImageBuffer.Zeros(image.Channels, height, width);
        for (int c = 0; c < image.Channels; c++)
        {
            ReadOnlySpan<float> source = image.Plane(c);
            Span<float> target = resized.Plane(c);
            for (int y = 0; y < height; y++)
            {
                ReadOnlySpan<float> top = source.Slice(y0[y] * image.Width, image.Width);
                ReadOnlySpan<float> bottom = source.Slice(y1[y] * image.Width, image.Width);
                for (int x = 0; x < width; x++)
                {
                    float upper = ((1 - wx[x]) * top[x0[x]]) + (wx[x] * top[x1[x]]);
                    float lower = ((1 - wx[x]) * bottom[x0[x]]) + (wx[x] * bottom[x1[x]]);
                    target[(y * width) + x] = ((1 - wy[y]) * upper) + (wy[y] * lower);
                }
            }
        }

        return resized;
    }

    /// <summary>For each output coordinate: the lower and upper source index and the weight of the upper one.</summary>
    private static (int[] Lower, int[] Upper, float[] UpperWeight) SourceTaps(int inSize, int outSize)
    {
        var lower = new int[outSize];
        var upper = new int[outSize];
        var weight = new float[outSize];
        double scale = (double)inSize / outSize;
        for (int d = 0; d < outSize; d++)
        {
            double source = Math.Max(0.0, ((d + 0.5) * scale) - 0.5);
            int low = Math.Min((int)source, inSize - 1);
            lower[d] = low;
            upper[d] = Math.Min(low + 1, inSize - 1);
            weight[d] = (float)(source - low);
        }

        return (lower, upper, weight);
    }
}
