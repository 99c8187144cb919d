using Leap.Data.Images;
using Leap.Data.Sources;
using SkiaSharp;

namespace Leap.Data.Tests.Sources;

public sealed class CentreCroppedSourceTests
{
    /// <summary>A 4x6 (h x w) grey PGM whose pixel (y, x) is 10y + x.</summary>
    private static EncodedImageSource Grid() =>
        new([TestImages.PgmP5(4, 6, (y, x) => (byte)((10 * y) + x))], new ImageDecoder(new ImageDecoderOptions { Channels = ImageChannels.Grey }), "grid");

    [Fact]
    public void Load_CentreTwoByTwo_TakesTheMiddlePixels()
    {
        using var source = new CentreCroppedSource(Grid(), 2, 2);

        ImageBuffer image = source.Load(0);

        Assert.Equal((1, 2, 2), (image.Channels, image.Height, image.Width));
        Assert.Equal(new[] { 12f, 13f, 22f, 23f }, image.Data.Select(v => MathF.Round(v * 255)).ToArray());
        Assert.Equal("grid#0", source.Locate(0));
    }

    [Fact]
    public void Load_CropLargerThanImage_ThrowsNamingTheImage()
    {
        using var source = new CentreCroppedSource(Grid(), 5, 5);

        var error = Assert.Throws<InvalidDataException>(() => source.Load(0));
        Assert.Contains("grid#0", error.Message, StringComparison.Ordinal);
        Assert.Contains("6x4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EncodedImageSource_CorruptBytes_ThrowsNamingTheEntry()
    {
        using var source = new EncodedImageSource([[1, 2, 3], TestImages.Png(1, 1, (_, _) => SKColors.Red)], new ImageDecoder(), "lfw.bin");

        Assert.Equal(2, source.Count);
        var error = Assert.Throws<InvalidDataException>(() => source.Load(0));
        Assert.Contains("lfw.bin#0", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, source.Load(1).Height);
    }
}
