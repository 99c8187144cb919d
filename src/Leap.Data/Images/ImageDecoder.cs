using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SkiaSharp;

namespace Leap.Data.Images;

/// <summary>
/// Decodes JPEG and PNG (through SkiaSharp) and PGM P5/P2 (<see cref="PortableGreymap"/>) into CHW float buffers in
/// [0, 1], RGB or grey per <see cref="ImageDecoderOptions.Channels"/>. The format is recognised from the bytes, not
/// from a file name. Alpha is dropped (values are not premultiplied); no colour-space conversion is applied.
/// Thread-safe.
/// </summary>
public sealed partial class ImageDecoder
{
    private const float RedLuma = 0.299f;
    private const float GreenLuma = 0.587f;
    private const float BlueLuma = 0.114f;

    private readonly ImageDecoderOptions _options;
    private readonly ILogger _logger;

    public ImageDecoder(ImageDecoderOptions? options = null, ILogger<ImageDecoder>? logger = null)
    {
        _options = options ?? new ImageDecoderOptions();
        _options.Validate();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public ImageChannels Channels => _options.Channels;

    /// <summary>Sources skipped as corrupt by <see cref="TryDecode"/> under <see cref="CorruptDataPolicy.Skip"/>.</summary>
    public SkippedItems<string> Skipped { get; } = new();

    /// <summary>Decodes <paramref name="bytes"/>; an undecodable image always throws.</summary>
    /// <param name="source">Where the bytes came from (a path, "train.rec#123"); named in every error.</param>
    /// <exception cref="InvalidDataException">The bytes are not a complete JPEG, PNG or PGM image.</exception>
    public ImageBuffer Decode(ReadOnlySpan<byte> bytes, string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (bytes.IsEmpty)
        {
            throw new InvalidDataException($"Image '{source}' is empty (0 bytes).");
        }

        if (PortableGreymap.IsPgm(bytes))
        {
            ImageBuffer grey = PortableGreymap.Decode(bytes, source, _options.MaxPixels);
            return _options.Channels == ImageChannels.Grey ? grey : GreyToRgb(grey);
        }

        return DecodeWithSkia(bytes, source);
    }

    /// <summary>Reads and decodes a file; errors name its path.</summary>
    public ImageBuffer DecodeFile(string path) => Decode(File.ReadAllBytes(path), path);

    /// <summary>
    /// Decodes following <see cref="ImageDecoderOptions.OnCorruptImage"/>: under Throw an undecodable image throws;
    /// under Skip it is logged, added to <see cref="Skipped"/> and false is returned.
    /// </summary>
    public bool TryDecode(ReadOnlySpan<byte> bytes, string source, [NotNullWhen(true)] out ImageBuffer? image)
    {
        if (_options.OnCorruptImage == CorruptDataPolicy.Throw)
        {
            image = Decode(bytes, source);
            return true;
        }

        try
        {
            image = Decode(bytes, source);
            return true;
        }
        catch (InvalidDataException e)
        {
            Skipped.Add(source, e.Message);
            SkippedImage(_logger, source, Skipped.Count, e.Message);
            image = null;
            return false;
        }
    }

    private ImageBuffer DecodeWithSkia(ReadOnlySpan<byte> bytes, string source)
    {
        using SKData data = SKData.CreateCopy(bytes);
        using SKCodec? codec = SKCodec.Create(data);
        if (codec is null)
        {
            throw new InvalidDataException(
                $"Image '{source}' ({bytes.Length} bytes) is not a decodable JPEG, PNG or PGM (unknown or damaged header).");
        }

        SKImageInfo encoded = codec.Info;
        if (encoded.Width <= 0 || encoded.Height <= 0 || (long)encoded.Width * encoded.Height > _options.MaxPixels)
        {
            throw new InvalidDataException(
                $"Image '{source}' declares {encoded.Width}x{encoded.Height} pixels, outside (0, {_options.MaxPixels}].");
        }

        var info = new SKImageInfo(encoded.Width, encoded.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[info.BytesSize];
        SKCodecResult result = codec.GetPixels(info, rgba);
        if (result != SKCodecResult.Success)
        {
            throw new InvalidDataException(
                $"Image '{source}' ({codec.EncodedFormat}, {encoded.Width}x{encoded.Height}, {bytes.Length} bytes) " +
                $"could not be decoded: {result}.");
        }

        return _options.Channels == ImageChannels.Grey
            ? RgbaToGrey(rgba, encoded.Height, encoded.Width)
            : RgbaToRgb(rgba, encoded.Height, encoded.Width);
    }

    private static ImageBuffer RgbaToRgb(byte[] rgba, int height, int width)
    {
        var image = ImageBuffer.Zeros(3, height, width);
        int plane = image.PlaneSize;
        float[] data = image.Data;
        for (int i = 0; i < plane; i++)
        {
            data[i] = rgba[4 * i] / 255f;
            data[plane + i] = rgba[(4 * i) + 1] / 255f;
            data[(2 * plane) + i] = rgba[(4 * i) + 2] / 255f;
        }

        return image;
    }

    private static ImageBuffer RgbaToGrey(byte[] rgba, int height, int width)
    {
        var image = ImageBuffer.Zeros(1, height, width);
        float[] data = image.Data;
        for (int i = 0; i < data.Length; i++)
        {
            byte r = rgba[4 * i], g = rgba[(4 * i) + 1], b = rgba[(4 * i) + 2];
            float luma = r == g && g == b ? r : (RedLuma * r) + (GreenLuma * g) + (BlueLuma * b);
            data[i] = Math.Clamp(luma / 255f, 0f, 1f);
        }

        return image;
    }

    private static ImageBuffer GreyToRgb(ImageBuffer grey)
    {
        var rgb = ImageBuffer.Zeros(3, grey.Height, grey.Width);
        for (int c = 0; c < 3; c++)
        {
            grey.Data.CopyTo(rgb.Plane(c));
        }

        return rgb;
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning,
        Message = "Skipping undecodable image '{Source}' ({SkippedCount} skipped so far): {Reason}")]
    private static partial void SkippedImage(ILogger logger, string source, int skippedCount, string reason);
}
