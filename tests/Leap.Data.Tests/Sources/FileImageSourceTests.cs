using Leap.Data.Images;
using Leap.Data.Sources;
using SkiaSharp;

namespace Leap.Data.Tests.Sources;

public sealed class FileImageSourceTests : IDisposable
{
    private static readonly ImageDecoder Decoder = new();
    private readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Put(string relative, byte[] bytes)
    {
        string path = Path.Combine(_dir.Path, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Jpeg(byte shade) => TestImages.SolidJpeg(4, 4, new SKColor(shade, shade, shade));

    [Fact]
    public void FromIdentityFolders_Tree_LabelsByFolderAndEmptyFoldersReported()
    {
        string root = Path.Combine(_dir.Path, "faces");
        string[] files =
        [
            Put("faces/alice/a1.png", TestImages.Png(2, 2, (y, x) => new SKColor((byte)(100 * x), (byte)(100 * y), 7))),
            Put("faces/alice/a2.jpg", Jpeg(90)),
            Put("faces/bob/b1.pgm", TestImages.PgmP5(2, 2, (y, x) => (byte)(y + x))),
            Put("faces/dave/d1.png", TestImages.Png(1, 1, (_, _) => SKColors.Red)),
        ];
        Directory.CreateDirectory(Path.Combine(root, "carol"));
        Put("faces/erin/notes.txt", [1, 2, 3]);

        using var source = FileImageSource.FromIdentityFolders(root, Decoder, out IReadOnlyList<string> empty);

        Assert.Equal(new[] { 0, 0, 1, 2 }, source.Labels);
        Assert.Equal((4, 3), (source.Count, source.ClassCount));
        Assert.Equal(files, Enumerable.Range(0, 4).Select(source.Locate));
        Assert.Equal(new[] { Path.Combine(root, "carol"), Path.Combine(root, "erin") }, empty);
        Assert.Equal($"{root}: 4 images of 3 classes", source.Description);
    }

    [Fact]
    public void FromIdentityFolders_NoSubFolderHoldsImages_ThrowsInvalidDataNamingRoot()
    {
        string root = Path.Combine(_dir.Path, "faces");
        Directory.CreateDirectory(Path.Combine(root, "alice"));
        Put("faces/stray.jpg", Jpeg(10));

        var e = Assert.Throws<InvalidDataException>(() => FileImageSource.FromIdentityFolders(root, Decoder, out _));

        Assert.Contains($"'{root}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromIdentityFolders_RootMissing_ThrowsDirectoryNotFoundNamingRoot()
    {
        string root = Path.Combine(_dir.Path, "absent");

        var e = Assert.Throws<DirectoryNotFoundException>(() => FileImageSource.FromIdentityFolders(root, Decoder, out _));

        Assert.Contains($"'{root}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_IdentityFolderImage_BitIdenticalToDecodingTheFile()
    {
        string png = Put("faces/alice/a1.png", TestImages.Png(3, 2, (y, x) => new SKColor((byte)(50 * x), (byte)(80 * y), 200)));
        string jpg = Put("faces/bob/b1.jpg", TestImages.Encode(SKEncodedImageFormat.Jpeg, 8, 8, (y, x) => new SKColor((byte)(30 * x), (byte)(30 * y), 0), 90));

        using var source = FileImageSource.FromIdentityFolders(Path.Combine(_dir.Path, "faces"), Decoder, out _);

        Assert.Equal(Decoder.DecodeFile(png).Data, source.Load(0).Data);
        Assert.Equal(Decoder.DecodeFile(jpg).Data, source.Load(1).Data);
        Assert.Equal((3, 3, 2), (source.Load(0).Channels, source.Load(0).Height, source.Load(0).Width));
    }

    [Fact]
    public void Load_FileDeletedAfterListing_ThrowsInvalidDataNamingFile()
    {
        Put("faces/alice/a1.jpg", Jpeg(10));
        string gone = Put("faces/alice/a2.jpg", Jpeg(20));
        using var source = FileImageSource.FromIdentityFolders(Path.Combine(_dir.Path, "faces"), Decoder, out _);
        File.Delete(gone);

        var e = Assert.Throws<InvalidDataException>(() => source.Load(1));

        Assert.Contains($"'{gone}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CorruptFile_ThrowsInvalidDataNamingFile()
    {
        Put("faces/alice/a1.jpg", Jpeg(10));
        string broken = Put("faces/alice/a2.png", [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3]);
        using var source = FileImageSource.FromIdentityFolders(Path.Combine(_dir.Path, "faces"), Decoder, out _);

        var e = Assert.Throws<InvalidDataException>(() => source.Load(1));

        Assert.Contains(broken, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromMarket1501_RootWithBoundingBoxTrain_ExcludesJunkAndDistractorsAndRenumbersPersons()
    {
        string train = Path.Combine(_dir.Path, "market", "bounding_box_train");
        string[] kept =
        [
            Put("market/bounding_box_train/0002_c1s1_000100_01.jpg", Jpeg(10)),
            Put("market/bounding_box_train/0002_c3s1_000200_01.jpg", Jpeg(20)),
            Put("market/bounding_box_train/0007_c2s1_000300_01.jpg", Jpeg(30)),
            Put("market/bounding_box_train/0011_c1s2_000400_02.jpg", Jpeg(40)),
        ];
        Put("market/bounding_box_train/0000_c1s1_000001_00.jpg", Jpeg(50));
        Put("market/bounding_box_train/-1_c2s1_000002_00.jpg", Jpeg(60));
        Put("market/bounding_box_test/0003_c1s1_000500_01.jpg", Jpeg(70));
        Put("market/query/0003_c2s1_000600_01.jpg", Jpeg(80));

        using var source = FileImageSource.FromMarket1501(Path.Combine(_dir.Path, "market"), Decoder);

        Assert.Equal(new[] { 0, 0, 1, 2 }, source.Labels);
        Assert.Equal((4, 3), (source.Count, source.ClassCount));
        Assert.Equal(kept, Enumerable.Range(0, 4).Select(source.Locate));
        Assert.Equal(Decoder.DecodeFile(kept[2]).Data, source.Load(2).Data);
        Assert.Equal($"{train}: 4 images of 3 classes", source.Description);
    }

    [Fact]
    public void FromMarket1501_FlatFolder_ReadsTheFolderItself()
    {
        string folder = Path.Combine(_dir.Path, "flat");
        string[] kept =
        [
            Put("flat/0005_c1s1_000100_01.jpg", Jpeg(10)),
            Put("flat/0009_c2s1_000100_01.jpg", Jpeg(20)),
        ];
        Put("flat/-1_c1s1_000003_00.jpg", Jpeg(30));
        Put("flat/0000_c1s1_000004_00.jpg", Jpeg(40));

        using var source = FileImageSource.FromMarket1501(folder, Decoder);

        Assert.Equal(new[] { 0, 1 }, source.Labels);
        Assert.Equal(2, source.ClassCount);
        Assert.Equal(kept, new[] { source.Locate(0), source.Locate(1) });
    }

    [Fact]
    public void FromMarket1501_OnlyJunkAndDistractors_ThrowsInvalidDataNamingFolder()
    {
        string train = Path.Combine(_dir.Path, "market", "bounding_box_train");
        Put("market/bounding_box_train/-1_c1s1_000003_00.jpg", Jpeg(30));
        Put("market/bounding_box_train/0000_c1s1_000004_00.jpg", Jpeg(40));

        var e = Assert.Throws<InvalidDataException>(() => FileImageSource.FromMarket1501(Path.Combine(_dir.Path, "market"), Decoder));

        Assert.Contains($"'{train}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_LabelOutsideClassCount_ThrowsArgumentException()
    {
        var e = Assert.Throws<ArgumentException>(() => new FileImageSource(["a.jpg", "b.jpg"], [0, 2], 2, Decoder, "test"));

        Assert.Equal("labels", e.ParamName);
    }
}
