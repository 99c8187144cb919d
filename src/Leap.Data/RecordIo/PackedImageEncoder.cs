using Leap.Data.Images;
using Leap.Data.Transforms;
using SkiaSharp;

namespace Leap.Data.RecordIo;

/// <summary>
/// What <c>leap pack</c> stores for one image file: the file's bytes unchanged, or — with a size — the image decoded,
/// resized (bilinear) to size x size and re-encoded (JPEG quality 95 for .jpg/.jpeg sources, PNG otherwise). Every
/// image is decoded either way, so a corrupt file fails here with an <see cref="InvalidDataException"/> naming it.
/// </summary>
public sealed class PackedImageEncoder
{
    private const int JpegQuality = 95;
    private readonly ImageDecoder _decoder = new(new ImageDecoderOptions { Channels = ImageChannels.Rgb });

    /// <param name="size">Side of the square output in pixels, or null to keep the files as they are.</param>
    public PackedImageEncoder(int? size)
    {
        if (size is int s)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(s, nameof(size));
        }

        Size = size;
    }

    public int? Size { get; }

    /// <summary>Decodes the file (throws naming it if it is corrupt) and returns its decoded height and width.</summary>
    public (int Height, int Width) Check(string path)
    {
        ImageBuffer image = _decoder.DecodeFile(path);
        return (image.Height, image.Width);
    }

    /// <summary>The bytes to store for <paramref name="path"/>.</summary>
    public byte[] Encode(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        ImageBuffer image = _decoder.Decode(bytes, path);
        if (Size is not int size)
        {
            return bytes;
        }

        ImageBuffer resized = BilinearResize.Resize(image, size, size);
        bool jpeg = Path.GetExtension(path).ToUpperInvariant() is ".JPG" or ".JPEG";
        return EncodeRgb(resized, jpeg ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Png);
    }

    private static byte[] EncodeRgb(ImageBuffer image, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        int plane = image.PlaneSize;
        var rgba = new byte[plane * 4];
        for (int i = 0; i < plane; i++)
        {
            for (int c = 0; c < 3; c++)
            {
                rgba[(4 * i) + c] = (byte)Math.Clamp(MathF.Round(image.Data[(c * plane) + i] * 255f), 0f, 255f);
            }

            rgba[(4 * i) + 3] = 255;
        }

        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using SKData data = bitmap.Encode(format, JpegQuality)
            ?? throw new InvalidOperationException($"SkiaSharp could not encode a {image.Width}x{image.Height} image as {format}.");
        return data.ToArray();
    }
}
