using Leap.Data.Images;

namespace Leap.Data.Transforms;

/// <summary>
/// torchvision's <c>ColorJitter(brightness=j, contrast=j, saturation=j)</c> without hue, on images in [0, 1]: draw an
/// order of the three adjustments (uniform over the 6), then a factor for each, uniform in [1 - j, 1 + j], and apply
/// them in that order, clamping to [0, 1] after each as torchvision's <c>_blend</c> does. Brightness b: x -> b x.
/// Contrast c: x -> c x + (1 - c) m, m the mean grey level of the whole image. Saturation s: x -> s x + (1 - s) g, g
/// the pixel's grey level. Grey = 0.2989 R + 0.587 G + 0.114 B (torchvision's <c>rgb_to_grayscale</c>); a one-channel
/// image is its own grey level, so saturation leaves it unchanged.
/// </summary>
public sealed class ColourJitter : IImageTransform
{
    public enum Adjustment
    {
        Brightness,
        Contrast,
        Saturation,
    }

    /// <summary>One draw: the order of the adjustments and their factors.</summary>
    public sealed record Factors(IReadOnlyList<Adjustment> Order, float Brightness, float Contrast, float Saturation);

    /// <param name="strength">j in [0, 1]: every factor lies in [1 - j, 1 + j]; 0 leaves images unchanged.</param>
    public ColourJitter(double strength)
    {
        if (!(strength >= 0 && strength <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(strength), strength, "Must lie in [0, 1].");
        }

        Strength = strength;
    }

    public double Strength { get; }

    /// <summary>The order and factors this transform uses for <paramref name="key"/>.</summary>
    public Factors DrawFactors(AugmentationKey key)
    {
        AugmentationRandom random = key.Random();
        Adjustment[] order = [Adjustment.Brightness, Adjustment.Contrast, Adjustment.Saturation];
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        float Factor() => (float)(1 - Strength + (2 * Strength * random.NextDouble()));
        float brightness = Factor();
        float contrast = Factor();
        float saturation = Factor();
        return new Factors(order, brightness, contrast, saturation);
    }

    public ImageBuffer Apply(ImageBuffer image, AugmentationKey key) => Jitter(image, DrawFactors(key));

    /// <summary>A new image: <paramref name="image"/> (one or three channels) adjusted by <paramref name="factors"/>.</summary>
    public static ImageBuffer Jitter(ImageBuffer image, Factors factors)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(factors);
        if (image.Channels is not (1 or 3))
        {
            throw new ArgumentException($"Colour jitter needs 1 or 3 channels; the image has {image.Channels}.", nameof(image));
        }

        var result = new ImageBuffer(image.Channels, image.Height, image.Width, (float[])image.Data.Clone());
        foreach (Adjustment adjustment in factors.Order)
        {
            switch (adjustment)
            {
                case Adjustment.Brightness:
                    Blend(result.Data, factors.Brightness, 0f);
                    break;
                case Adjustment.Contrast:
                    Blend(result.Data, factors.Contrast, MeanGrey(result));
                    break;
                case Adjustment.Saturation when result.Channels == 3:
                    Saturate(result, factors.Saturation);
                    break;
            }
        }

        return result;
    }

    /// <summary>x -> clamp(factor x + (1 - factor) other, 0, 1), in place.</summary>
    private static void Blend(Span<float> values, float factor, float other)
    {
        float offset = (1 - factor) * other;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Math.Clamp((factor * values[i]) + offset, 0f, 1f);
        }
    }

    private static float MeanGrey(ImageBuffer image)
    {
        double sum = 0;
        int plane = image.PlaneSize;
        float[] data = image.Data;
        for (int i = 0; i < plane; i++)
        {
            sum += image.Channels == 3 ? Grey(data[i], data[plane + i], data[(2 * plane) + i]) : data[i];
        }

        return (float)(sum / plane);
    }

    private static void Saturate(ImageBuffer image, float factor)
    {
        int plane = image.PlaneSize;
        Span<float> red = image.Plane(0);
        Span<float> green = image.Plane(1);
        Span<float> blue = image.Plane(2);
        for (int i = 0; i < plane; i++)
        {
            float offset = (1 - factor) * Grey(red[i], green[i], blue[i]);
            red[i] = Math.Clamp((factor * red[i]) + offset, 0f, 1f);
            green[i] = Math.Clamp((factor * green[i]) + offset, 0f, 1f);
            blue[i] = Math.Clamp((factor * blue[i]) + offset, 0f, 1f);
        }
    }

    private static float Grey(float red, float green, float blue) => (0.2989f * red) + (0.587f * green) + (0.114f * blue);
}
