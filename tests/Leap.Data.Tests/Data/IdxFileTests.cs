namespace Leap.Data.Tests.Data;

public sealed class IdxFileTests : IDisposable
{
    private readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Write(string name, byte[] bytes)
    {
        string path = _dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void ReadImages_RawFile_ReturnsShapeAndRowMajorPixels()
    {
        string path = Write("images.idx", IdxBytes.Images(3, 2, 4, i => (byte)(i * 7)));

        IdxImages images = IdxFile.ReadImages(path);

        Assert.Equal((3, 2, 4), (images.Count, images.Rows, images.Cols));
        Assert.Equal(new byte[] { 56, 63, 70, 77, 84, 91, 98, 105 }, images.Image(1).ToArray());
    }

    [Fact]
    public void ReadImages_GzipFile_MatchesRawContent()
    {
        byte[] raw = IdxBytes.Images(5, 3, 3, i => (byte)(255 - i));
        string gz = Write("images.idx.gz", IdxBytes.Gzip(raw));

        IdxImages images = IdxImages.Load(gz);

        Assert.Equal(raw[16..], images.Pixels.ToArray());
        Assert.Equal(new byte[] { 219, 218, 217, 216, 215, 214, 213, 212, 211 }, images.Image(4).ToArray());
    }

    [Fact]
    public void ReadImages_GzipFileWithoutGzExtension_IsRecognisedBySignature()
    {
        string path = Write("images.bin", IdxBytes.Gzip(IdxBytes.Images(1, 1, 2, i => (byte)(i + 1))));

        Assert.Equal(new byte[] { 1, 2 }, IdxFile.ReadImages(path).Image(0).ToArray());
    }

    [Fact]
    public void ReadLabels_RawAndGzip_ReturnTheLabels()
    {
        byte[] raw = IdxBytes.Labels(3, 0, 9, 9);
        IdxLabels fromRaw = IdxLabels.Load(Write("labels.idx", raw));
        IdxLabels fromGz = IdxLabels.Load(Write("labels.idx.gz", IdxBytes.Gzip(raw)));

        Assert.Equal(new[] { 3, 0, 9, 9 }, fromRaw.ToInt32Array());
        Assert.Equal(new byte[] { 3, 0, 9, 9 }, fromGz.Values.ToArray());
    }

    [Fact]
    public void ReadImages_LabelFileMagic_ThrowsNamingFileAndOffsetZero()
    {
        string path = Write("labels-as-images.idx", IdxBytes.Labels(1, 2));

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(path));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("byte offset 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("0x00000801", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadImages_ZeroColumns_ThrowsAtColumnCountOffset()
    {
        string path = Write("zero-cols.idx", IdxBytes.Images(0, 2, 0, _ => 0));

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(path));

        Assert.Contains("byte offset 12", e.Message, StringComparison.Ordinal);
        Assert.Contains("column count", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadImages_CountAboveInt32_ThrowsAtCountOffset()
    {
        byte[] bytes = IdxBytes.Images(1, 1, 1, _ => 0);
        bytes[4] = 0x80;
        string path = Write("huge-count.idx", bytes);

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(path));

        Assert.Contains("byte offset 4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadImages_RawPayloadTruncated_ThrowsAtEndOfFile()
    {
        byte[] full = IdxBytes.Images(2, 2, 2, i => (byte)i);
        string path = Write("truncated.idx", full[..21]);

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(path));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("byte offset 21", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadImages_GzipOfTruncatedPayload_ThrowsAtDecompressedEnd()
    {
        byte[] full = IdxBytes.Images(2, 2, 2, i => (byte)i);
        string path = Write("truncated.idx.gz", IdxBytes.Gzip(full[..19]));

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(path));

        Assert.Contains("byte offset 19", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadImages_GzipStreamCutShort_ThrowsInvalidDataNamingFile()
    {
        byte[] raw = IdxBytes.Images(20, 8, 8, i => (byte)(i * 31 % 251));
        byte[] gz = IdxBytes.Gzip(raw);
        string path = Write("cut.idx.gz", gz[..(gz.Length / 2)]);

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(path));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("byte offset", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadLabels_TruncatedHeader_ThrowsAtEndOfFile()
    {
        string path = Write("short-header.idx", IdxBytes.Labels(1, 2)[..6]);

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.ReadLabels(path));

        Assert.Contains("byte offset 6", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadLabels_TrailingByte_ThrowsAtItsOffset()
    {
        string path = Write("trailing.idx", [.. IdxBytes.Labels(1, 2, 3), 42]);

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.ReadLabels(path));

        Assert.Contains("byte offset 11", e.Message, StringComparison.Ordinal);
    }

    [RealFashionMnistFact]
    public void ReadImagesAndLabels_RealFashionMnistTestSet_HasTenBalancedClassesOf28x28()
    {
        IdxImages images = IdxFile.ReadImages(Path.Combine(RealFashionMnistFactAttribute.Directory, "t10k-images-idx3-ubyte.gz"));
        IdxLabels labels = IdxFile.ReadLabels(Path.Combine(RealFashionMnistFactAttribute.Directory, "t10k-labels-idx1-ubyte.gz"));

        Assert.Equal((10_000, 28, 28), (images.Count, images.Rows, images.Cols));
        Assert.Equal(10_000, labels.Count);
        Assert.All(labels.ToInt32Array().GroupBy(l => l), g => Assert.Equal(1000, g.Count()));
    }
}
