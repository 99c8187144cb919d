using Leap.Data.Images;
using Leap.Data.Transforms;

namespace Leap.Data.Tests.Transforms;

public sealed class RandomResizedCropTests
{
    /// <summary>Values 0..c*h*w-1 in CHW order.</summary>
    private static ImageBuffer Ramp(int channels, int height, int width) =>
        new(channels, height, width, Enumerable.Range(0, channels * height * width).Select(v => (float)v).ToArray());

    [Fact]
    public void Apply_AnyKey_GivesTheConfiguredSize()
    {
        var crop = new RandomResizedCrop(8, 6, minimumArea: 0.3);

        foreach (int sample in Enumerable.Range(0, 20))
        {
            ImageBuffer result = crop.Apply(Ramp(3, 20, 30), new AugmentationKey(5, 0, sample));

            Assert.Equal((3, 8, 6), (result.Channels, result.Height, result.Width));
        }
    }

    [Fact]
    public void Apply_SameKey_SameRegionResizedBilinearly()
    {
        var crop = new RandomResizedCrop(8, 8, minimumArea: 0.2);
        ImageBuffer image = Ramp(2, 24, 20);
        var key = new AugmentationKey(Seed: 42, Epoch: 0, SampleIndex: 17);

        (int top, int left, int height, int width) = crop.DrawRegion(24, 20, key);

        Assert.Equal((top, left, height, width), crop.DrawRegion(24, 20, key));
        Assert.Equal(BilinearResize.Resize(image.Crop(top, left, height, width), 8, 8).Data, crop.Apply(image, key).Data);
        Assert.Equal(crop.Apply(image, key).Data, crop.Apply(image, key).Data);
    }

    [Fact]
    public void DrawRegion_ManyKeys_InsideTheImageWithAtLeastTheMinimumAreaUpToRounding()
    {
        var crop = new RandomResizedCrop(16, 16, minimumArea: 0.25);
        var regions = Enumerable.Range(0, 500).Select(i => crop.DrawRegion(40, 50, new AugmentationKey(3, 0, i))).ToArray();

        Assert.All(regions, r =>
        {
            Assert.InRange(r.Top, 0, 40 - r.Height);
            Assert.InRange(r.Left, 0, 50 - r.Width);
            // w and h are rounded from w* h* = area >= 0.25 x 40 x 50, so (w + 0.5)(h + 0.5) >= 500.
            Assert.True((r.Width + 0.5) * (r.Height + 0.5) >= 500, $"{r} is smaller than a quarter of the image");
        });
        Assert.True(regions.Select(r => (r.Height, r.Width)).Distinct().Count() > 20, "region sizes hardly vary");
        Assert.True(regions.Select(r => (r.Top, r.Left)).Distinct().Count() > 20, "region positions hardly vary");
    }

    [Fact]
    public void DrawRegion_WholeAreaOfASquare_IsTheWholeImage()
    {
        // Area fraction 1: a region fits only when the ratio rounds both sides back to 40; the fallback is the whole image too.
        var crop = new RandomResizedCrop(10, 10, minimumArea: 1);

        Assert.All(Enumerable.Range(0, 200), i => Assert.Equal((0, 0, 40, 40), crop.DrawRegion(40, 40, new AugmentationKey(8, 0, i))));
    }

    [Theory]
    [InlineData(1, 40, 0, 19, 1, 1)] // wide: h = 1, w = round(1 x 4/3) = 1, centred: left (40 - 1) / 2 = 19
    [InlineData(3, 40, 0, 18, 3, 4)] // wide: w = round(3 x 4/3) = 4, left (40 - 4) / 2 = 18
    [InlineData(40, 3, 18, 0, 4, 3)] // tall: h = round(3 / (3/4)) = 4, top (40 - 4) / 2 = 18
    public void DrawRegion_NoTryFits_FallsBackToTorchvisionCentreCrop(int imageHeight, int imageWidth, int top, int left, int height, int width)
    {
        // Area fraction 1 of a 3-pixel-wide image needs a region at least sqrt(area x 3/4) wide, so all ten tries fail.
        var crop = new RandomResizedCrop(4, 4, minimumArea: 1);

        Assert.All(Enumerable.Range(0, 50), i =>
            Assert.Equal((top, left, height, width), crop.DrawRegion(imageHeight, imageWidth, new AugmentationKey(1, 0, i))));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-0.5)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void Constructor_MinimumAreaOutsideZeroToOne_Throws(double minimumArea)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomResizedCrop(4, 4, minimumArea));
    }
}
