using Leap.Data.Images;
using Leap.Data.Sources;
using Leap.Data.Tests.Data;

namespace Leap.Data.Tests.Sources;

public sealed class IdxImageSourceTests : IDisposable
{
    private readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte Pixel(int i) => (byte)((i * 37) % 256);

    /// <summary>Three 2x3 images (pixel i of the payload is <see cref="Pixel"/>(i)) labelled 4, 0, 4.</summary>
    private void WritePair(string prefix, bool gzip)
    {
        byte[] images = IdxBytes.Images(3, 2, 3, Pixel);
        byte[] labels = IdxBytes.Labels(4, 0, 4);
        string suffix = gzip ? ".gz" : "";
        File.WriteAllBytes(_dir.File($"{prefix}-images-idx3-ubyte{suffix}"), gzip ? IdxBytes.Gzip(images) : images);
        File.WriteAllBytes(_dir.File($"{prefix}-labels-idx1-ubyte{suffix}"), gzip ? IdxBytes.Gzip(labels) : labels);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Open_WrittenPair_RoundTripsLabelsAndPixels(bool gzip)
    {
        WritePair("train", gzip);

        using IdxImageSource source = IdxImageSource.Open(_dir.Path, "train");

        Assert.Equal(new[] { 4, 0, 4 }, source.Labels);
        Assert.Equal((3, 5), (source.Count, source.ClassCount));
        Assert.Equal((2, 3), (source.Height, source.Width));
        for (int n = 0; n < 3; n++)
        {
            ImageBuffer image = source.Load(n);
            Assert.Equal((1, 2, 3), (image.Channels, image.Height, image.Width));
            Assert.Equal(Enumerable.Range(6 * n, 6).Select(i => Pixel(i) / 255f), image.Data);
        }
    }

    [Fact]
    public void Files_GzipAndRawPairsBothPresent_ReturnsTheGzipPair()
    {
        WritePair("train", gzip: true);
        WritePair("train", gzip: false);

        (string images, string labels) = IdxImageSource.Files(_dir.Path, "train");

        Assert.Equal(_dir.File("train-images-idx3-ubyte.gz"), images);
        Assert.Equal(_dir.File("train-labels-idx1-ubyte.gz"), labels);
    }

    [Fact]
    public void Files_OnlyOtherPrefix_ThrowsFileNotFoundNamingFolderAndPrefix()
    {
        WritePair("train", gzip: true);

        var e = Assert.Throws<FileNotFoundException>(() => IdxImageSource.Files(_dir.Path, "t10k"));

        Assert.Contains($"'{_dir.Path}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("t10k-images-idx3-ubyte[.gz]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Files_FolderOfIdentityFolders_MessageSuggestsImageFolder()
    {
        Directory.CreateDirectory(_dir.File("alice"));
        File.WriteAllBytes(Path.Combine(_dir.Path, "alice", "a1.png"), TestImages.Png(2, 2, (_, _) => SkiaSharp.SKColors.Blue));

        var e = Assert.Throws<FileNotFoundException>(() => IdxImageSource.Files(_dir.Path, "train"));

        Assert.Contains($"'{_dir.Path}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("Data:Format = ImageFolder", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Files_FolderWithRecFile_MessageSuggestsRecordIo()
    {
        File.WriteAllBytes(_dir.File("train.rec"), []);

        var e = Assert.Throws<FileNotFoundException>(() => IdxImageSource.Files(_dir.Path, "train"));

        Assert.Contains("Data:Format = RecordIo", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_ImageAndLabelCountsDiffer_ThrowsInvalidDataNamingDescription()
    {
        var images = new IdxImages(3, 1, 1, [1, 2, 3]);
        var labels = new IdxLabels([0, 1]);

        var e = Assert.Throws<InvalidDataException>(() => new IdxImageSource(images, labels, "/data/train-images-idx3-ubyte.gz"));

        Assert.Equal("/data/train-images-idx3-ubyte.gz: 3 images but 2 labels.", e.Message);
    }
}
