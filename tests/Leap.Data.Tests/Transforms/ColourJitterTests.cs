using Leap.Data.Images;
using Leap.Data.Transforms;
using static Leap.Data.Transforms.ColourJitter;

namespace Leap.Data.Tests.Transforms;

public sealed class ColourJitterTests
{
    private static readonly Adjustment[] AllInOrder = [Adjustment.Brightness, Adjustment.Contrast, Adjustment.Saturation];

    private static ImageBuffer Pixels(int channels, params float[] values) => new(channels, 1, values.Length / channels, values);

    [Fact]
    public void Jitter_FactorsOne_IsIdentity()
    {
        var image = new ImageBuffer(3, 4, 5, Enumerable.Range(0, 60).Select(i => (i * 37 % 61) / 60f).ToArray());

        ImageBuffer result = Jitter(image, new Factors(AllInOrder, 1, 1, 1));

        Assert.Equal(image.Data, result.Data);
        Assert.NotSame(image.Data, result.Data);
    }

    [Fact]
    public void Jitter_Brightness_ScalesEveryValueAndClampsAtOne()
    {
        ImageBuffer image = Pixels(3, 0.25f, 0.5f, 0.75f);

        ImageBuffer result = Jitter(image, new Factors([Adjustment.Brightness], 1.5f, 1, 1));

        Assert.Equal(new[] { 0.375f, 0.75f, 1f }, result.Data);
        Assert.Equal(new[] { 0.25f, 0.5f, 0.75f }, image.Data);
    }

    [Fact]
    public void Jitter_Contrast_BlendsWithTheMeanGreyLevel()
    {
        // Mean 0.5: 0.5 x + 0.5 x 0.5.
        ImageBuffer result = Jitter(Pixels(1, 0.25f, 0.75f), new Factors([Adjustment.Contrast], 1, 0.5f, 1));

        Assert.Equal(new[] { 0.375f, 0.625f }, result.Data);
    }

    [Fact]
    public void Jitter_SaturationZero_EveryChannelBecomesTheTorchvisionGreyLevel()
    {
        // One pure red pixel: grey = 0.2989.
        ImageBuffer result = Jitter(Pixels(3, 1f, 0f, 0f), new Factors([Adjustment.Saturation], 1, 1, 0));

        Assert.Equal(new[] { 0.2989f, 0.2989f, 0.2989f }, result.Data);
    }

    [Fact]
    public void Jitter_SaturationOfGreyImage_LeavesItUnchanged()
    {
        ImageBuffer result = Jitter(Pixels(1, 0.25f, 0.75f), new Factors([Adjustment.Saturation], 1, 1, 0));

        Assert.Equal(new[] { 0.25f, 0.75f }, result.Data);
    }

    [Fact]
    public void Jitter_Order_ClampsAfterEachAdjustment()
    {
        ImageBuffer image = Pixels(1, 0.25f, 0.75f);

        // Brightness 2 -> 0.5, 1 (1.5 clamped); contrast 0.5 about the mean 0.75 -> 0.625, 0.875.
        ImageBuffer brightFirst = Jitter(image, new Factors([Adjustment.Brightness, Adjustment.Contrast], 2, 0.5f, 1));
        // Contrast 0.5 about 0.5 -> 0.375, 0.625; brightness 2 -> 0.75, 1 (1.25 clamped).
        ImageBuffer contrastFirst = Jitter(image, new Factors([Adjustment.Contrast, Adjustment.Brightness], 2, 0.5f, 1));

        Assert.Equal(new[] { 0.625f, 0.875f }, brightFirst.Data);
        Assert.Equal(new[] { 0.75f, 1f }, contrastFirst.Data);
    }

    [Fact]
    public void DrawFactors_SameKey_SameDraw_FactorsInRange_EveryOrderOccurs()
    {
        var jitter = new ColourJitter(0.4);
        var draws = Enumerable.Range(0, 600).Select(i => jitter.DrawFactors(new AugmentationKey(6, 0, i))).ToArray();
        var again = jitter.DrawFactors(new AugmentationKey(6, 0, 5));

        Assert.Equal(draws[5].Order, again.Order);
        Assert.Equal((draws[5].Brightness, draws[5].Contrast, draws[5].Saturation), (again.Brightness, again.Contrast, again.Saturation));
        Assert.All(draws, d =>
        {
            Assert.Equal(AllInOrder, d.Order.Order());
            Assert.All(new[] { d.Brightness, d.Contrast, d.Saturation }, f => Assert.InRange(f, 0.6f, 1.4f));
        });
        Assert.Equal(6, draws.Select(d => string.Join(",", d.Order)).Distinct().Count());
        Assert.True(draws.Min(d => d.Brightness) < 0.65f && draws.Max(d => d.Brightness) > 1.35f, "brightness does not span its range");
    }

    [Fact]
    public void Apply_StrengthZero_IsIdentity()
    {
        var image = new ImageBuffer(3, 2, 2, [0f, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f, 1f, 0.05f]);

        Assert.Equal(image.Data, new ColourJitter(0).Apply(image, new AugmentationKey(1, 0, 2)).Data);
    }

    [Fact]
    public void Apply_EqualsJitterWithTheKeysDraw()
    {
        var jitter = new ColourJitter(0.5);
        var image = new ImageBuffer(3, 2, 2, [0f, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f, 1f, 0.05f]);
        var key = new AugmentationKey(4, 0, 9);

        Assert.Equal(Jitter(image, jitter.DrawFactors(key)).Data, jitter.Apply(image, key).Data);
        Assert.NotEqual(image.Data, jitter.Apply(image, key).Data);
    }

    [Fact]
    public void Jitter_TwoChannels_Throws()
    {
        Assert.Throws<ArgumentException>(() => Jitter(Pixels(2, 0f, 1f), new Factors(AllInOrder, 1, 1, 1)));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Constructor_StrengthOutsideZeroToOne_Throws(double strength)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ColourJitter(strength));
    }
}
