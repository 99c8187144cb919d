using Leap.Data.Images;
using Leap.Data.RecordIo;
using SkiaSharp;

namespace Leap.Data.Tests.RecordIo;

public sealed class IdentityFolderPackerTests : IDisposable
{
    private readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Put(string relative, byte[] bytes)
    {
        string path = Path.Combine(_dir.Path, "tree", relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static SKColor Gradient(int y, int x) => new((byte)(40 * x), (byte)(60 * y), (byte)(10 + x + y));

    /// <summary>alice: 2 PNGs, bob: 1 JPEG, carol: 1 PGM.</summary>
    private RecordIoPackSummary PackTree()
    {
        Put("alice/a1.png", TestImages.Png(3, 4, Gradient));
        Put("alice/a2.png", TestImages.Png(2, 2, (_, _) => new SKColor(255, 0, 128)));
        Put("bob/b1.jpg", TestImages.SolidJpeg(16, 16, new SKColor(200, 100, 50)));
        Put("carol/c1.pgm", TestImages.PgmP5(2, 3, (y, x) => (byte)((y * 3) + x)));
        IdentityFolderListing listing = IdentityFolderListing.Read(Path.Combine(_dir.Path, "tree"));
        return IdentityFolderPacker.Pack(listing, _dir.File("train.rec"));
    }

    [Fact]
    public void Pack_GeneratedTree_WritesInsightFaceLayout()
    {
        RecordIoPackSummary summary = PackTree();

        Assert.Equal((4, 3), (summary.ImageCount, summary.ClassCount));
        Assert.Equal(_dir.File("train.idx"), summary.IdxPath);
        using RecordIoReader reader = RecordIoReader.Open(summary.RecPath);
        Assert.Equal(new long[] { 0, 1, 2, 3, 4, 5, 6, 7 }, reader.Index.Keys);
        Assert.Equal(new InsightFaceHeader(5, 8), reader.ReadInsightFaceHeader());
        Assert.Equal(new long[] { 1, 2, 3, 4 }, reader.ImageKeys());
        Assert.Equal(
            new[] { new IdentityKeyRange(0, 1, 3), new IdentityKeyRange(1, 3, 4), new IdentityKeyRange(2, 4, 5) },
            reader.ReadIdentityRanges());
    }

    [Fact]
    public void Pack_GeneratedTree_ReadsBackLabelsIdsAndFileBytes()
    {
        PackTree();
        string[] files = ["alice/a1.png", "alice/a2.png", "bob/b1.jpg", "carol/c1.pgm"];

        using RecordIoReader reader = RecordIoReader.Open(_dir.File("train.rec"));
        ImageRecord[] images = reader.ImageKeys().Select(reader.Read).ToArray();

        Assert.Equal(new[] { 0, 0, 1, 2 }, images.Select(r => r.Header.ClassLabel()));
        Assert.Equal(new ulong[] { 1, 2, 3, 4 }, images.Select(r => r.Header.Id));
        Assert.All(images, r => Assert.Equal(0u, r.Header.Flag));
        for (int i = 0; i < files.Length; i++)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(_dir.Path, "tree", files[i])), images[i].Image);
        }
    }

    [Fact]
    public void ReadImageLabels_PackedTree_GivesClassOfEveryImageKey()
    {
        PackTree();

        using RecordIoReader reader = RecordIoReader.Open(_dir.File("train.rec"));

        Assert.Equal(new[] { 0, 0, 1, 2 }, reader.ReadImageLabels());
        Assert.Equal(new[] { 5f, 8f }, reader.ReadHeader(0).Labels);
        Assert.Equal(new[] { 3f, 4f }, reader.ReadHeader(6).Labels);
    }

    [Fact]
    public void Pack_GeneratedTree_DecodedPixelsMatchWhatWasDrawn()
    {
        PackTree();
        var decoder = new ImageDecoder();

        using RecordIoReader reader = RecordIoReader.Open(_dir.File("train.rec"));
        ImageBuffer png = decoder.Decode(reader.Read(1).Image, "train.rec#1");
        ImageBuffer jpeg = decoder.Decode(reader.Read(3).Image, "train.rec#3");
        ImageBuffer pgm = decoder.Decode(reader.Read(4).Image, "train.rec#4");

        Assert.Equal((3, 3, 4), (png.Channels, png.Height, png.Width));
        for (int y = 0; y < 3; y++)
        {
            for (int x = 0; x < 4; x++)
            {
                SKColor expected = Gradient(y, x);
                Assert.Equal(expected.Red / 255f, png[0, y, x]);
                Assert.Equal(expected.Green / 255f, png[1, y, x]);
                Assert.Equal(expected.Blue / 255f, png[2, y, x]);
            }
        }

        Assert.Equal((3, 16, 16), (jpeg.Channels, jpeg.Height, jpeg.Width));
        Assert.All(jpeg.Plane(0).ToArray(), v => Assert.InRange(v, 197 / 255f, 203 / 255f));
        Assert.All(jpeg.Plane(1).ToArray(), v => Assert.InRange(v, 97 / 255f, 103 / 255f));
        Assert.All(jpeg.Plane(2).ToArray(), v => Assert.InRange(v, 47 / 255f, 53 / 255f));
        Assert.Equal(new[] { 0f, 1f, 2f, 3f, 4f, 5f }.Select(v => v / 255f), pgm.Plane(2).ToArray());
    }

    [Fact]
    public void Pack_ListingNotGroupedByClass_Throws()
    {
        string a = Put("x/1.png", TestImages.Png(1, 1, (_, _) => SKColors.Red));
        string b = Put("y/1.png", TestImages.Png(1, 1, (_, _) => SKColors.Red));
        var listing = new IdentityFolderListing(["x", "y"], [new IdentityImage(b, 1), new IdentityImage(a, 0)]);

        Assert.Throws<ArgumentException>(() => IdentityFolderPacker.Pack(listing, _dir.File("bad.rec")));
    }
}
