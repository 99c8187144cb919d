using SkiaSharp;

namespace Leap.Data.Tests;

/// <summary>Real JPEG/PNG/PGM bytes made in the test, so decoding is checked on what encoders actually write.</summary>
public static class TestImages
{
    /// <summary>An opaque RGB image: <paramref name="pixel"/>(y, x) gives the colour.</summary>
    public static byte[] Encode(SKEncodedImageFormat format, int height, int width, Func<int, int, SKColor> pixel, int quality = 100)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, pixel(y, x));
            }
        }

        using SKData data = bitmap.Encode(format, quality)
            ?? throw new InvalidOperationException($"Skia could not encode {format}.");
        return data.ToArray();
    }

    public static byte[] Png(int height, int width, Func<int, int, SKColor> pixel) =>
        Encode(SKEncodedImageFormat.Png, height, width, pixel);

    public static byte[] SolidJpeg(int height, int width, SKColor colour) =>
        Encode(SKEncodedImageFormat.Jpeg, height, width, (_, _) => colour);

    /// <summary>A binary P5 greymap with maxval 255.</summary>
    public static byte[] PgmP5(int height, int width, Func<int, int, byte> pixel)
    {
        byte[] header = System.Text.Encoding.ASCII.GetBytes($"P5\n{width} {height}\n255\n");
        var bytes = new byte[header.Length + (height * width)];
        header.CopyTo(bytes, 0);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                bytes[header.Length + (y * width) + x] = pixel(y, x);
            }
        }

        return bytes;
    }
}
