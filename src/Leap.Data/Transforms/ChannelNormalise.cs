using Leap.Data.Images;

namespace Leap.Data.Transforms;

/// <summary>Per-channel standardisation: value in channel c becomes (value - Mean[c]) / Std[c].</summary>
public sealed class ChannelNormalise : IImageTransform
{
    private readonly float[] _mean;
    private readonly float[] _std;

    public ChannelNormalise(IReadOnlyList<float> mean, IReadOnlyList<float> std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Count == 0 || mean.Count != std.Count)
        {
            throw new ArgumentException($"Need one mean and one std per channel; got {mean.Count} and {std.Count}.", nameof(std));
        }

        if (std.Any(s => !(s > 0) || float.IsInfinity(s)) || mean.Any(m => !float.IsFinite(m)))
        {
            throw new ArgumentException("Every std must be positive and finite, every mean finite.", nameof(std));
        }

        _mean = mean.ToArray();
        _std = std.ToArray();
    }

    public IReadOnlyList<float> Mean => _mean;
    public IReadOnlyList<float> Std => _std;

    /// <summary>Mean 0.5 and std 0.5 per channel: maps [0, 1] onto [-1, 1], as InsightFace's training does.</summary>
    public static ChannelNormalise SymmetricUnit(int channels) =>
        new(Enumerable.Repeat(0.5f, channels).ToArray(), Enumerable.Repeat(0.5f, channels).ToArray());

    public ImageBuffer Apply(ImageBuffer image, AugmentationKey key) => Normalise(image, _mean, _std);

    public static ImageBuffer Normalise(ImageBuffer image, IReadOnlyList<float> mean, IReadOnlyList<float> std)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Count != image.Channels || std.Count != image.Channels)
        {
            throw new ArgumentException(
                $"{mean.Count} means and {std.Count} stds for an image of {image.Channels} channels.", nameof(image));
        }

        var normalised = ImageBuffer.Zeros(image.Channels, image.Height, image.Width);
        for (int c = 0; c < image.Channels; c++)
        {
            ReadOnlySpan<float> source = image.Plane(c);
            Span<float> target = normalised.Plane(c);
            float m = mean[c];
            float s = std[c];
            for (int i = 0; i < source.Length; i++)
            {
                target[i] = (source[i] - m) / s;
            }
        }

        return normalised;
    }
}
