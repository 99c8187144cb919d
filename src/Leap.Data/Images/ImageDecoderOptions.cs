namespace Leap.Data.Images;

/// <summary>Settings of an <see cref="ImageDecoder"/>.</summary>
public sealed class ImageDecoderOptions
{
    public ImageChannels Channels { get; init; } = ImageChannels.Rgb;

    /// <summary>What <see cref="ImageDecoder.TryDecode"/> does with an undecodable image.</summary>
    public CorruptDataPolicy OnCorruptImage { get; init; } = CorruptDataPolicy.Throw;

    /// <summary>An image with more pixels than this is refused as corrupt (guards against decompression bombs).</summary>
    public long MaxPixels { get; init; } = 1L << 26;

    internal void Validate()
    {
        if (!Enum.IsDefined(Channels))
        {
            throw new ArgumentOutOfRangeException(nameof(Channels), Channels, "Unknown channel layout.");
        }

        if (!Enum.IsDefined(OnCorruptImage))
        {
            throw new ArgumentOutOfRangeException(nameof(OnCorruptImage), OnCorruptImage, "Unknown corrupt-image policy.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxPixels, nameof(MaxPixels));
    }
}
