using Leap.Data.Images;
using Microsoft.Extensions.Logging;
using SkiaSharp;

namespace Leap.Data.Tests.Images;

public sealed class ImageDecoderTests
{
    private static readonly SKColor[,] Colours =
    {
        { new(255, 0, 0), new(0, 255, 0), new(0, 0, 255) },
        { new(10, 20, 30), new(128, 128, 128), new(255, 255, 255) },
    };

    private static byte[] ColourPng() => TestImages.Png(2, 3, (y, x) => Colours[y, x]);

    [Fact]
    public void Decode_Png_ReturnsRgbPlanesInChwOrder()
    {
        ImageBuffer image = new ImageDecoder().Decode(ColourPng(), "colours.png");

        Assert.Equal((3, 2, 3), (image.Channels, image.Height, image.Width));
        float[] expected =
        [
            255, 0, 0, 10, 128, 255, // R plane, row-major
            0, 255, 0, 20, 128, 255, // G plane
            0, 0, 255, 30, 128, 255, // B plane
        ];
        Assert.Equal(expected.Select(v => v / 255f), image.Data);
    }

    [Fact]
    public void Decode_PngInGreyMode_ReturnsBt601Luma()
    {
        var decoder = new ImageDecoder(new ImageDecoderOptions { Channels = ImageChannels.Grey });

        ImageBuffer image = decoder.Decode(ColourPng(), "colours.png");

        Assert.Equal((1, 2, 3), (image.Channels, image.Height, image.Width));
        float[] expected = [0.299f * 255, 0.587f * 255, 0.114f * 255, (0.299f * 10) + (0.587f * 20) + (0.114f * 30), 128, 255];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i] / 255f, image.Data[i], 1e-6f);
        }
    }

    [Fact]
    public void Decode_SolidJpeg_StaysWithinCompressionError()
    {
        ImageBuffer image = new ImageDecoder().Decode(TestImages.SolidJpeg(8, 8, new SKColor(30, 160, 220)), "solid.jpg");

        Assert.Equal((3, 8, 8), (image.Channels, image.Height, image.Width));
        Assert.All(image.Plane(0).ToArray(), v => Assert.InRange(v, 27 / 255f, 33 / 255f));
        Assert.All(image.Plane(1).ToArray(), v => Assert.InRange(v, 157 / 255f, 163 / 255f));
        Assert.All(image.Plane(2).ToArray(), v => Assert.InRange(v, 217 / 255f, 223 / 255f));
    }

    [Fact]
    public void Decode_TruncatedJpeg_ThrowsNamingSource()
    {
        byte[] jpeg = TestImages.Encode(SKEncodedImageFormat.Jpeg, 64, 64, (y, x) => new SKColor((byte)(x * 4), (byte)(y * 4), 7));

        var error = Assert.Throws<InvalidDataException>(
            () => new ImageDecoder().Decode(jpeg.AsSpan(0, jpeg.Length / 2), "train.rec#17"));

        Assert.Contains("'train.rec#17'", error.Message);
        Assert.Contains("IncompleteInput", error.Message);
    }

    [Fact]
    public void Decode_TruncatedPng_ThrowsNamingSource()
    {
        byte[] png = TestImages.Png(32, 32, (y, x) => new SKColor((byte)(x * 8), (byte)(y * 8), 3));

        var error = Assert.Throws<InvalidDataException>(
            () => new ImageDecoder().Decode(png.AsSpan(0, png.Length / 2), "faces/0042/001.png"));

        Assert.Contains("'faces/0042/001.png'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_Garbage_ThrowsNamingSource()
    {
        var error = Assert.Throws<InvalidDataException>(
            () => new ImageDecoder().Decode("not an image at all"u8, "junk.jpg"));

        Assert.Contains("'junk.jpg'", error.Message);
        Assert.Contains("not a decodable JPEG, PNG or PGM", error.Message);
    }

    [Fact]
    public void Decode_Empty_Throws()
    {
        var error = Assert.Throws<InvalidDataException>(() => new ImageDecoder().Decode([], "empty.png"));

        Assert.Contains("'empty.png' is empty", error.Message);
    }

    [Fact]
    public void TryDecode_SkipPolicy_ReturnsFalseCountsAndLogs()
    {
        var logger = new ListLogger<ImageDecoder>();
        var decoder = new ImageDecoder(new ImageDecoderOptions { OnCorruptImage = CorruptDataPolicy.Skip }, logger);

        bool bad = decoder.TryDecode([1, 2, 3], "a.jpg", out ImageBuffer? none);
        bool good = decoder.TryDecode(ColourPng(), "b.png", out ImageBuffer? image);
        bool worse = decoder.TryDecode("P5\n2 2\n255\n\x01"u8, "c.pgm", out _);

        Assert.False(bad);
        Assert.Null(none);
        Assert.True(good);
        Assert.NotNull(image);
        Assert.False(worse);
        Assert.Equal(new[] { "a.jpg", "c.pgm" }, decoder.Skipped.Ids);
        Assert.Equal(2, logger.Entries.Count(e => e.Level == LogLevel.Warning));
    }

    [Fact]
    public void TryDecode_ThrowPolicy_Throws()
    {
        Assert.Throws<InvalidDataException>(() => new ImageDecoder().TryDecode([1, 2, 3], "a.jpg", out _));
    }

    [Fact]
    public void Decode_PgmInRgbMode_CopiesGreyToThreePlanes()
    {
        ImageBuffer image = new ImageDecoder().Decode(TestImages.PgmP5(1, 2, (_, x) => (byte)(x == 0 ? 0 : 255)), "g.pgm");

        Assert.Equal(new float[] { 0, 1, 0, 1, 0, 1 }, image.Data);
    }

    [RealLfwFact]
    public void DecodeFile_RealLfwJpeg_Is128SquareRgbInUnitRange()
    {
        string lfw = RealLfwFactAttribute.FindLfw()!;
        string file = Directory.EnumerateFiles(Directory.EnumerateDirectories(lfw).Order(StringComparer.Ordinal).First(), "*.jpg")
            .Order(StringComparer.Ordinal).First();

        ImageBuffer image = new ImageDecoder().DecodeFile(file);

        Assert.Equal((3, 128, 128), (image.Channels, image.Height, image.Width));
        Assert.All(image.Data, v => Assert.InRange(v, 0f, 1f));
        Assert.True(image.Data.Max() - image.Data.Min() > 0.2f, "a face photo is not one flat colour");
    }
}
