using Leap.Data.Images;
using Leap.Data.Transforms;

namespace Leap.Data.Sources;

/// <summary>
/// Turns one sample of a source into the row a batch tensor holds: decode, convert grey/RGB to the configured channel
/// count, apply the step's per-sample augmentation when one is given, resize to the configured size (when one is set
/// and the image differs), normalise per channel. Deterministic: the only randomness is the augmentation's, keyed by
/// (seed, step, sample). Thread-safe.
/// </summary>
public sealed class SamplePreprocessor
{
    private readonly IImageSource _source;
    private readonly bool _resize;
    private readonly float[] _mean;
    private readonly float[] _std;

    /// <param name="height">Rows of every prepared image; 0 = the size of the source's first image, which every image must then have.</param>
    /// <param name="width">Columns, like <paramref name="height"/>.</param>
    public SamplePreprocessor(IImageSource source, int channels, int height, int width, IReadOnlyList<float> mean, IReadOnlyList<float> std)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Count != channels || std.Count != channels)
        {
            throw new ArgumentException($"{mean.Count} means and {std.Count} stds for {channels} channels.", nameof(mean));
        }

        if (source.Count == 0)
        {
            throw new InvalidDataException($"{source.Description}: no images.");
        }

        _source = source;
        _mean = mean.ToArray();
        _std = std.ToArray();
        _resize = height > 0 && width > 0;
        if (!_resize)
        {
            ImageBuffer first = source.Load(0);
            (height, width) = (first.Height, first.Width);
        }

        Channels = channels;
        Height = height;
        Width = width;
    }

    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public int RowSize => Channels * Height * Width;
    public IImageSource Source => _source;

    /// <summary>Prepares sample <paramref name="index"/> into <paramref name="destination"/> (<see cref="RowSize"/> floats).</summary>
    /// <param name="augmentation">
    /// The training step's augmentation, keyed by <paramref name="index"/>; null = none (evaluation). It sees the image at
    /// its decoded size in [0, 1] (so a random resized crop crops the original and resizes once) and its output is
    /// resized to the configured size when it differs.
    /// </param>
    /// <exception cref="InvalidDataException">The sample is corrupt, or its size differs and no size is configured; names the file.</exception>
    public void Prepare(int index, Span<float> destination, StepAugmentation? augmentation = null)
    {
        ImageBuffer image = _source.Load(index);
        if (image.Channels != Channels)
        {
            image = image.Channels == 1 && Channels == 3 ? GreyToRgb(image)
                : image.Channels == 3 && Channels == 1 ? RgbToGrey(image)
                : throw new InvalidDataException($"'{_source.Locate(index)}' has {image.Channels} channels; expected {Channels}.");
        }

        if (!_resize && (image.Height != Height || image.Width != Width))
        {
            throw new InvalidDataException(
                $"'{_source.Locate(index)}' is {image.Width}x{image.Height} but the first image is {Width}x{Height}; " +
                "set Data:ImageHeight and Data:ImageWidth to resize every image.");
        }

        if (augmentation is not null)
        {
            image = augmentation.Apply(image, index);
        }

        if (image.Height != Height || image.Width != Width)
        {
            image = BilinearResize.Resize(image, Height, Width);
        }

        ReadOnlySpan<float> data = image.Data;
        int plane = Height * Width;
        for (int c = 0; c < Channels; c++)
        {
            float mean = _mean[c];
            float scale = 1f / _std[c];
            ReadOnlySpan<float> from = data.Slice(c * plane, plane);
            Span<float> to = destination.Slice(c * plane, plane);
            for (int i = 0; i < plane; i++)
            {
                to[i] = (from[i] - mean) * scale;
            }
        }
    }

    private static ImageBuffer GreyToRgb(ImageBuffer grey)
    {
        var data = new float[3 * grey.PlaneSize];
        for (int c = 0; c < 3; c++)
        {
            grey.Data.CopyTo(data, c * grey.PlaneSize);
        }

        return new ImageBuffer(3, grey.Height, grey.Width, data);
    }

    private static ImageBuffer RgbToGrey(ImageBuffer rgb)
    {
        var data = new float[rgb.PlaneSize];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (0.299f * rgb.Data[i]) + (0.587f * rgb.Data[rgb.PlaneSize + i]) + (0.114f * rgb.Data[(2 * rgb.PlaneSize) + i]);
        }

        return new ImageBuffer(1, rgb.Height, rgb.Width, data);
    }
}
