using System.Globalization;
using SkiaSharp;

namespace Leap.Data.Synthetic;

/// <summary>
/// Writes a long-tailed identity-per-folder tree of small PNG images that a network can learn: each identity is a
/// fixed arrangement of coloured ellipses on a coloured background (drawn from (seed, identity)); each image of it is
/// shifted by a few pixels, brightened or darkened, and sprinkled with pixel noise (drawn from (seed, identity, image)).
/// Class sizes fall geometrically from <c>maxImages</c> (identity 0) to <c>minImages</c> (the last one), the shape of
/// face and re-ID training sets. The same arguments always write the same bytes. For tests, CI and demos that must not
/// depend on downloaded data.
/// </summary>
public static class SyntheticIdentities
{
    /// <summary>Images of identity <paramref name="identity"/> of <paramref name="classes"/>.</summary>
    public static int ImagesOf(int identity, int classes, int maxImages, int minImages)
    {
        if (classes == 1)
        {
            return maxImages;
        }

        double decay = Math.Log((double)maxImages / minImages) / (classes - 1);
        return Math.Max(minImages, (int)Math.Round(maxImages * Math.Exp(-decay * identity)));
    }

    /// <returns>The number of images written.</returns>
    public static int Write(string root, int classes, int maxImages, int minImages, int size, long seed)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(minImages, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxImages, minImages);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 8);
        int written = 0;
        for (int identity = 0; identity < classes; identity++)
        {
            string folder = Path.Combine(root, string.Create(CultureInfo.InvariantCulture, $"id{identity:00000}"));
            Directory.CreateDirectory(folder);
            int count = ImagesOf(identity, classes, maxImages, minImages);
            for (int image = 0; image < count; image++)
            {
                File.WriteAllBytes(Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{image:0000}.png")), Draw(identity, image, size, seed));
                written++;
            }
        }

        return written;
    }

    /// <summary>The PNG bytes of one image.</summary>
    public static byte[] Draw(int identity, int image, int size, long seed)
    {
        var look = SplitMix64.ForStream(seed, identity);
        var shot = SplitMix64.ForStream(unchecked(seed * 31 + identity), image + 1);
        using var bitmap = new SKBitmap(size, size, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(Colour(ref look));
            float dx = shot.NextInt(5) - 2;
            float dy = shot.NextInt(5) - 2;
            using var paint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
            for (int part = 0; part < 3; part++)
            {
                paint.Color = Colour(ref look);
                float cx = (0.2f + (0.6f * look.NextInt(1000) / 1000f)) * size;
                float cy = (0.2f + (0.6f * look.NextInt(1000) / 1000f)) * size;
                float rx = (0.08f + (0.17f * look.NextInt(1000) / 1000f)) * size;
                float ry = (0.08f + (0.17f * look.NextInt(1000) / 1000f)) * size;
                canvas.DrawOval(cx + dx, cy + dy, rx, ry, paint);
            }
        }

        float gain = 0.8f + (0.4f * shot.NextInt(1000) / 1000f);
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                SKColor c = bitmap.GetPixel(x, y);
                int noise = shot.NextInt(31) - 15;
                bitmap.SetPixel(x, y, new SKColor(Channel(c.Red, gain, noise), Channel(c.Green, gain, noise), Channel(c.Blue, gain, noise)));
            }
        }

        using var encoded = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return encoded.ToArray();
    }

    private static SKColor Colour(ref SplitMix64 rng) => new((byte)rng.NextInt(256), (byte)rng.NextInt(256), (byte)rng.NextInt(256));

    private static byte Channel(byte value, float gain, int noise) => (byte)Math.Clamp((int)((value * gain) + noise), 0, 255);
}
