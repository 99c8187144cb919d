using Leap.Data.Images;
using Leap.Data.Transforms;

namespace Leap.Data.Tests.Transforms;

public sealed class ImageTransformTests
{
    private static readonly AugmentationKey AnyKey = new(Seed: 1, Epoch: 0, SampleIndex: 0);

    /// <summary>One channel, values 0..h*w-1 row-major.</summary>
    private static ImageBuffer Ramp(int height, int width, int channels = 1) =>
        new(channels, height, width, Enumerable.Range(0, channels * height * width).Select(v => (float)v).ToArray());

    [Fact]
    public void Resize_2x2To4x4_MatchesHalfPixelBilinear()
    {
        // torch.nn.functional.interpolate([[0, 1], [2, 3]], size=4, mode="bilinear", align_corners=False)
        float[] expected =
        [
            0.00f, 0.25f, 0.75f, 1.00f,
            0.50f, 0.75f, 1.25f, 1.50f,
            1.50f, 1.75f, 2.25f, 2.50f,
            2.00f, 2.25f, 2.75f, 3.00f,
        ];

        ImageBuffer resized = BilinearResize.Resize(Ramp(2, 2), 4, 4);

        Assert.Equal((1, 4, 4), (resized.Channels, resized.Height, resized.Width));
        Assert.Equal(expected, resized.Data);
    }

    [Fact]
    public void Resize_4x4To2x2_AveragesEachBlock()
    {
        ImageBuffer resized = BilinearResize.Resize(Ramp(4, 4), 2, 2);

        Assert.Equal(new[] { 2.5f, 4.5f, 10.5f, 12.5f }, resized.Data);
    }

    [Fact]
    public void Resize_3x2To3x1_UsesCentreColumnPerChannel()
    {
        // Width 2 -> 1: source x = 0.5, halfway between the two columns, in every channel.
        ImageBuffer resized = BilinearResize.Resize(Ramp(3, 2, channels: 2), 3, 1);

        Assert.Equal(new[] { 0.5f, 2.5f, 4.5f, 6.5f, 8.5f, 10.5f }, resized.Data);
    }

    [Fact]
    public void Resize_SameSize_IsIdentity()
    {
        ImageBuffer image = Ramp(3, 5, channels: 3);

        Assert.Equal(image.Data, BilinearResize.Resize(image, 3, 5).Data);
    }

    [Theory]
    [InlineData(5, 5, 2, 2, 2, 2)] // (5 - 2) / 2 = 1.5 rounds to even: 2, as torchvision
    [InlineData(4, 4, 2, 2, 1, 1)]
    [InlineData(6, 7, 3, 3, 2, 2)] // 1.5 -> 2, 2 -> 2
    [InlineData(8, 5, 3, 5, 2, 0)] // 2.5 -> 2
    public void CentreCrop_Sizes_TakesTorchvisionOffset(int h, int w, int ch, int cw, int top, int left)
    {
        ImageBuffer image = Ramp(h, w);

        ImageBuffer cropped = CentreCrop.Crop(image, ch, cw);

        Assert.Equal(image.Crop(top, left, ch, cw).Data, cropped.Data);
        Assert.Equal((float)((top * w) + left), cropped[0, 0, 0]);
    }

    [Fact]
    public void CentreCrop_LargerThanImage_Throws()
    {
        Assert.Throws<ArgumentException>(() => CentreCrop.Crop(Ramp(4, 4), 5, 4));
    }

    [Fact]
    public void Crop_TwoChannels_CopiesTheWindowOfEachPlane()
    {
        ImageBuffer cropped = Ramp(3, 3, channels: 2).Crop(1, 1, 2, 2);

        Assert.Equal(new float[] { 4, 5, 7, 8, 13, 14, 16, 17 }, cropped.Data);
    }

    [Fact]
    public void FlipHorizontal_MirrorsEveryRowOfEveryChannel()
    {
        ImageBuffer flipped = Ramp(2, 3, channels: 2).FlipHorizontal();

        Assert.Equal(new float[] { 2, 1, 0, 5, 4, 3, 8, 7, 6, 11, 10, 9 }, flipped.Data);
    }

    [Fact]
    public void RandomCrop_SameKey_SameWindow_AndPixelsMatchCrop()
    {
        var crop = new RandomCrop(2, 2);
        ImageBuffer image = Ramp(5, 6);
        var key = new AugmentationKey(Seed: 42, Epoch: 3, SampleIndex: 17);

        (int top, int left) = crop.DrawOrigin(5, 6, key);

        Assert.Equal((top, left), crop.DrawOrigin(5, 6, key));
        Assert.Equal(image.Crop(top, left, 2, 2).Data, crop.Apply(image, key).Data);
        Assert.Equal(crop.Apply(image, key).Data, crop.Apply(image, key).Data);
    }

    [Fact]
    public void RandomCrop_ManySamples_CoversEveryValidOriginAndNoOther()
    {
        var crop = new RandomCrop(3, 2);
        var origins = Enumerable.Range(0, 400)
            .Select(i => crop.DrawOrigin(5, 4, new AugmentationKey(7, 0, i)))
            .ToHashSet();

        var valid = (from t in Enumerable.Range(0, 3) from l in Enumerable.Range(0, 3) select (t, l)).ToHashSet();
        Assert.True(valid.SetEquals(origins));
    }

    [Fact]
    public void RandomCrop_OtherEpochOrSeed_ChangesWindows()
    {
        var crop = new RandomCrop(10, 10);
        (int, int)[] Draw(long seed, int epoch) =>
            Enumerable.Range(0, 20).Select(i => crop.DrawOrigin(50, 50, new AugmentationKey(seed, epoch, i))).ToArray();

        Assert.Equal(Draw(1, 0), Draw(1, 0));
        Assert.NotEqual(Draw(1, 0), Draw(1, 1));
        Assert.NotEqual(Draw(1, 0), Draw(2, 0));
    }

    [Fact]
    public void RandomHorizontalFlip_ProbabilityOneAndZero_AlwaysAndNever()
    {
        ImageBuffer image = Ramp(1, 3);

        Assert.Equal(new float[] { 2, 1, 0 }, new RandomHorizontalFlip(1).Apply(image, AnyKey).Data);
        Assert.Equal(new float[] { 0, 1, 2 }, new RandomHorizontalFlip(0).Apply(image, AnyKey).Data);
    }

    [Fact]
    public void RandomHorizontalFlip_Half_FlipsAboutHalfDeterministically()
    {
        var flip = new RandomHorizontalFlip();
        bool[] first = Enumerable.Range(0, 2000).Select(i => flip.DrawFlip(new AugmentationKey(9, 2, i))).ToArray();
        bool[] again = Enumerable.Range(0, 2000).Select(i => flip.DrawFlip(new AugmentationKey(9, 2, i))).ToArray();

        Assert.Equal(first, again);
        Assert.InRange(first.Count(f => f), 900, 1100);
    }

    [Fact]
    public void Normalise_PerChannelMeanStd_MatchesHandValues()
    {
        var image = new ImageBuffer(2, 1, 3, [0f, 0.5f, 1f, 0.2f, 0.4f, 0.6f]);

        ImageBuffer normalised = ChannelNormalise.Normalise(image, [0.5f, 0.4f], [0.5f, 0.2f]);

        Assert.Equal(new[] { -1f, 0f, 1f }, normalised.Plane(0).ToArray());
        float[] second = normalised.Plane(1).ToArray();
        Assert.Equal(-1f, second[0], 1e-6f);
        Assert.Equal(0f, second[1], 1e-6f);
        Assert.Equal(1f, second[2], 1e-6f);
        Assert.Equal(new[] { 0f, 0.5f, 1f, 0.2f, 0.4f, 0.6f }, image.Data);
    }

    [Fact]
    public void Normalise_WrongChannelCount_Throws()
    {
        Assert.Throws<ArgumentException>(() => ChannelNormalise.Normalise(Ramp(1, 1, 3), [0f], [1f]));
    }

    [Fact]
    public void ChannelNormalise_ZeroStd_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ChannelNormalise([0f], [0f]));
    }

    [Fact]
    public void Pipeline_Apply_GivesStepIOfItsKey()
    {
        var first = new RandomCrop(4, 4);
        var second = new RandomCrop(2, 2);
        var pipeline = new ImageTransformPipeline(first, second);
        ImageBuffer image = Ramp(8, 8, channels: 3);
        var key = new AugmentationKey(5, 1, 99);

        ImageBuffer expected = second.Apply(first.Apply(image, key.ForStep(0)), key.ForStep(1));

        Assert.Equal(expected.Data, pipeline.Apply(image, key).Data);
        Assert.NotEqual(key.ForStep(0).Random().NextDouble(), key.ForStep(1).Random().NextDouble());
    }

    [Fact]
    public void FaceTraining_128Image_Gives112InMinusOneToOne()
    {
        var image = new ImageBuffer(3, 128, 128, Enumerable.Range(0, 3 * 128 * 128).Select(i => (i % 256) / 255f).ToArray());

        ImageBuffer result = ImageTransformPipeline.FaceTraining().Apply(image, new AugmentationKey(3, 0, 5));

        Assert.Equal((3, 112, 112), (result.Channels, result.Height, result.Width));
        Assert.All(result.Data, v => Assert.InRange(v, -1f, 1f));
    }

    [Fact]
    public void AugmentationKey_Random_IsPureFunctionOfItsFields()
    {
        double Draw(AugmentationKey k) => k.Random().NextDouble();
        var key = new AugmentationKey(11, 4, 1000);

        Assert.Equal(Draw(key), Draw(new AugmentationKey(11, 4, 1000)));
        Assert.NotEqual(Draw(key), Draw(key with { SampleIndex = 1001 }));
        Assert.NotEqual(Draw(key), Draw(key with { Epoch = 5 }));
        Assert.NotEqual(Draw(key), Draw(key with { Seed = 12 }));
    }
}
