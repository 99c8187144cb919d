using Leap.Data.Images;
using Leap.Data.Sources;
using Leap.Data.Transforms;
using SkiaSharp;

namespace Leap.Data.Tests.Sources;

public sealed class SamplePreprocessorTests : IDisposable
{
    private static readonly ImageDecoder Rgb = new();
    private static readonly ImageDecoder Grey = new(new ImageDecoderOptions { Channels = ImageChannels.Grey });
    private readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Put(string relative, byte[] bytes)
    {
        string path = Path.Combine(_dir.Path, "faces", relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private FileImageSource Folders(ImageDecoder decoder) =>
        FileImageSource.FromIdentityFolders(Path.Combine(_dir.Path, "faces"), decoder, out _);

    private static float[] Prepare(SamplePreprocessor preprocessor, int index)
    {
        var row = new float[preprocessor.RowSize];
        preprocessor.Prepare(index, row);
        return row;
    }

    [Fact]
    public void Prepare_SizeConfigured_ResizesBilinearlyToThatSize()
    {
        Put("a/1.pgm", TestImages.PgmP5(1, 2, (_, x) => (byte)(255 * x)));
        using FileImageSource source = Folders(Grey);

        var preprocessor = new SamplePreprocessor(source, 1, 1, 4, [0f], [1f]);

        Assert.Equal((1, 1, 4, 4), (preprocessor.Channels, preprocessor.Height, preprocessor.Width, preprocessor.RowSize));
        // Half-pixel centres: output x samples the source at max(0, (x + 0.5) / 2 - 0.5) = 0, 0.25, 0.75, 1 (clamped).
        Assert.Equal(new[] { 0f, 0.25f, 0.75f, 1f }, Prepare(preprocessor, 0));
    }

    /// <summary>Halves every value and records the size and key of each image it is given.</summary>
    private sealed class Halving : IImageTransform
    {
        public List<(int Height, int Width, AugmentationKey Key)> Calls { get; } = [];

        public ImageBuffer Apply(ImageBuffer image, AugmentationKey key)
        {
            Calls.Add((image.Height, image.Width, key));
            return new ImageBuffer(image.Channels, image.Height, image.Width, image.Data.Select(v => v / 2).ToArray());
        }
    }

    [Fact]
    public void Prepare_WithAugmentation_AugmentsTheDecodedImageWithTheSampleKeyBeforeResizeAndNormalisation()
    {
        Put("a/1.pgm", TestImages.PgmP5(1, 2, (_, x) => (byte)(255 * x)));
        using FileImageSource source = Folders(Grey);
        var preprocessor = new SamplePreprocessor(source, 1, 1, 4, [0.5f], [0.5f]);
        var halving = new Halving();
        StepAugmentation step = new SampleAugmentation(halving, seed: 3).ForStep(9);

        var row = new float[preprocessor.RowSize];
        preprocessor.Prepare(0, row, step);

        // Halved at its own 1x2 size: 0, 0.5; resized to 1x4: 0, 0.125, 0.375, 0.5; then (v - 0.5) / 0.5.
        Assert.Equal(new[] { -1f, -0.75f, -0.25f, 0f }, row);
        Assert.Equal((1, 2, step.KeyFor(0)), Assert.Single(halving.Calls));
    }

    [Fact]
    public void Prepare_SizeConfiguredAndImagesOfDifferentSizes_EveryRowHasConfiguredSize()
    {
        Put("a/1.png", TestImages.Png(2, 3, (_, _) => new SKColor(255, 0, 255)));
        Put("a/2.png", TestImages.Png(5, 4, (_, _) => new SKColor(255, 0, 255)));
        using FileImageSource source = Folders(Rgb);

        var preprocessor = new SamplePreprocessor(source, 3, 3, 3, [0f, 0f, 0f], [1f, 1f, 1f]);

        float[] expected = [.. Enumerable.Repeat(1f, 9), .. Enumerable.Repeat(0f, 9), .. Enumerable.Repeat(1f, 9)];
        Assert.Equal(expected, Prepare(preprocessor, 0));
        Assert.Equal(expected, Prepare(preprocessor, 1));
    }

    [Fact]
    public void Constructor_NoSizeConfigured_TakesTheFirstImageSize()
    {
        Put("a/1.png", TestImages.Png(2, 3, (_, _) => SKColors.Black));
        Put("a/2.png", TestImages.Png(5, 4, (_, _) => SKColors.Black));
        using FileImageSource source = Folders(Rgb);

        var preprocessor = new SamplePreprocessor(source, 3, 0, 0, [0f, 0f, 0f], [1f, 1f, 1f]);

        Assert.Equal((2, 3, 18), (preprocessor.Height, preprocessor.Width, preprocessor.RowSize));
    }

    [Fact]
    public void Prepare_NoSizeConfiguredAndImageDiffersFromFirst_ThrowsNamingFileAndSizeKeys()
    {
        Put("a/1.png", TestImages.Png(2, 3, (_, _) => SKColors.Black));
        string second = Put("a/2.png", TestImages.Png(5, 4, (_, _) => SKColors.Black));
        using FileImageSource source = Folders(Rgb);
        var preprocessor = new SamplePreprocessor(source, 3, 0, 0, [0f, 0f, 0f], [1f, 1f, 1f]);

        var e = Assert.Throws<InvalidDataException>(() => Prepare(preprocessor, 1));

        Assert.Equal(
            $"'{second}' is 4x5 but the first image is 3x2; set Data:ImageHeight and Data:ImageWidth to resize every image.",
            e.Message);
    }

    [Fact]
    public void Prepare_GreySourceForThreeChannels_RepeatsThePlaneInEveryChannel()
    {
        var images = new IdxImages(1, 1, 2, [51, 255]);
        using var source = new IdxImageSource(images, new IdxLabels([0]), "grey");

        var preprocessor = new SamplePreprocessor(source, 3, 0, 0, [0f, 0f, 0f], [1f, 1f, 1f]);

        float v = 51 / 255f;
        Assert.Equal(new[] { v, 1f, v, 1f, v, 1f }, Prepare(preprocessor, 0));
    }

    [Fact]
    public void Prepare_RgbSourceForOneChannel_UsesLumaWeights()
    {
        Put("a/1.png", TestImages.Png(1, 2, (_, x) => x == 0 ? new SKColor(255, 0, 0) : new SKColor(0, 0, 255)));
        using FileImageSource source = Folders(Rgb);

        var preprocessor = new SamplePreprocessor(source, 1, 0, 0, [0f], [1f]);

        Assert.Equal(new[] { 0.299f, 0.114f }, Prepare(preprocessor, 0));
    }

    [Fact]
    public void Prepare_PerChannelMeanAndStd_NormalisesEachChannelExactly()
    {
        Put("a/1.png", TestImages.Png(1, 2, (_, x) => x == 0 ? new SKColor(255, 0, 255) : new SKColor(0, 255, 0)));
        using FileImageSource source = Folders(Rgb);

        var preprocessor = new SamplePreprocessor(source, 3, 0, 0, [0.5f, 0.25f, 0.75f], [0.5f, 0.25f, 0.125f]);

        // (value - mean) / std per channel: R (1 - 0.5) / 0.5, (0 - 0.5) / 0.5; G (0 - 0.25) / 0.25, (1 - 0.25) / 0.25; B ...
        Assert.Equal(new[] { 1f, -1f, -1f, 3f, 2f, -6f }, Prepare(preprocessor, 0));
    }

    [Fact]
    public void Prepare_ChannelCountNeitherOneNorThree_ThrowsNamingFile()
    {
        string file = Put("a/1.png", TestImages.Png(1, 1, (_, _) => SKColors.White));
        using FileImageSource source = Folders(Rgb);
        var preprocessor = new SamplePreprocessor(source, 2, 0, 0, [0f, 0f], [1f, 1f]);

        var e = Assert.Throws<InvalidDataException>(() => Prepare(preprocessor, 0));

        Assert.Equal($"'{file}' has 3 channels; expected 2.", e.Message);
    }

    [Fact]
    public void Constructor_MeanCountDiffersFromChannels_ThrowsArgumentException()
    {
        Put("a/1.png", TestImages.Png(1, 1, (_, _) => SKColors.White));
        using FileImageSource source = Folders(Rgb);

        var e = Assert.Throws<ArgumentException>(() => new SamplePreprocessor(source, 3, 0, 0, [0.5f], [0.5f, 0.5f, 0.5f]));

        Assert.Equal("1 means and 3 stds for 3 channels. (Parameter 'mean')", e.Message);
    }
}
