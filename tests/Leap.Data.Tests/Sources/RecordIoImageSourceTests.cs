using Leap.Data.Images;
using Leap.Data.RecordIo;
using Leap.Data.Sources;
using SkiaSharp;

namespace Leap.Data.Tests.Sources;

public sealed class RecordIoImageSourceTests : IDisposable
{
    private static readonly ImageDecoder Decoder = new();
    private readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Tree => Path.Combine(_dir.Path, "tree");

    private string Put(string relative, byte[] bytes)
    {
        string path = Path.Combine(Tree, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static SKColor Gradient(int y, int x) => new((byte)(40 * x), (byte)(60 * y), (byte)(10 + x + y));

    private static byte[] Png(byte shade) => TestImages.Png(3, 3, (y, x) => new SKColor(shade, (byte)(shade + x), (byte)(shade + y)));

    /// <summary>alice: 2 PNGs, bob: 1 JPEG, carol: 1 PGM; packed into train.rec. Returns the files in listing order.</summary>
    private string[] PackTree()
    {
        string[] files =
        [
            Put("alice/a1.png", TestImages.Png(3, 4, Gradient)),
            Put("alice/a2.png", TestImages.Png(2, 2, (_, _) => new SKColor(255, 0, 128))),
            Put("bob/b1.jpg", TestImages.SolidJpeg(16, 16, new SKColor(200, 100, 50))),
            Put("carol/c1.pgm", TestImages.PgmP5(2, 3, (y, x) => (byte)((y * 3) + x))),
        ];
        IdentityFolderPacker.Pack(IdentityFolderListing.Read(Tree), _dir.File("train.rec"));
        return files;
    }

    /// <summary>
    /// An InsightFace layout with images 1..2 and identity records 3..4 written before the images, so the images are the
    /// last bytes of the file. <paramref name="identities"/> are the [start, end) labels of records 3 and 4.
    /// </summary>
    private string WriteIdentitiesFirst(float[][] identities, float[] imageLabels, byte[][] images, out long lastImageOffset)
    {
        string rec = _dir.File("custom.rec");
        using var writer = RecordIoWriter.Create(rec);
        writer.Write(0, new ImageRecordHeader([3f, 5f], 0), []);
        writer.Write(3, new ImageRecordHeader(identities[0], 3), []);
        writer.Write(4, new ImageRecordHeader(identities[1], 4), []);
        writer.Write(1, new ImageRecordHeader(imageLabels[0], 1), images[0]);
        lastImageOffset = writer.Position;
        writer.Write(2, new ImageRecordHeader(imageLabels[1], 2), images[1]);
        return rec;
    }

    [Fact]
    public void Open_PackedIdentityFolders_LabelsAndClassCountMatchFolderSource()
    {
        PackTree();

        using var rec = RecordIoImageSource.Open(_dir.File("train.rec"), Decoder);
        using var folders = FileImageSource.FromIdentityFolders(Tree, Decoder, out _);

        Assert.Equal(new[] { 0, 0, 1, 2 }, rec.Labels);
        Assert.Equal(folders.Labels, rec.Labels);
        Assert.Equal((4, 3), (rec.Count, rec.ClassCount));
        Assert.Equal(folders.ClassCount, rec.ClassCount);
    }

    [Fact]
    public void Load_PackedIdentityFolders_PixelsBitIdenticalToDecodingTheFile()
    {
        string[] files = PackTree();

        using var rec = RecordIoImageSource.Open(_dir.File("train.rec"), Decoder);

        for (int i = 0; i < files.Length; i++)
        {
            ImageBuffer expected = Decoder.DecodeFile(files[i]);
            ImageBuffer loaded = rec.Load(i);
            Assert.Equal((expected.Channels, expected.Height, expected.Width), (loaded.Channels, loaded.Height, loaded.Width));
            Assert.Equal(expected.Data, loaded.Data);
        }
    }

    [Fact]
    public void Locate_PackedImage_IsRecPathHashImageKey()
    {
        PackTree();
        string path = _dir.File("train.rec");

        using var rec = RecordIoImageSource.Open(path, Decoder);

        Assert.Equal(new[] { $"{path}#1", $"{path}#2", $"{path}#3", $"{path}#4" }, Enumerable.Range(0, 4).Select(rec.Locate));
        Assert.Equal($"{path}: 4 images of 3 classes", rec.Description);
    }

    [Fact]
    public void Open_PlainRecWithArbitraryLabels_RenumbersLabelsAscending()
    {
        string path = _dir.File("plain.rec");
        byte[][] images = [Png(10), Png(20), Png(30), Png(40)];
        float[] raw = [7f, 3f, 7f, 42f];
        using (var writer = RecordIoWriter.Create(path))
        {
            for (int i = 0; i < 4; i++)
            {
                writer.Write(i, new ImageRecordHeader(raw[i], (ulong)i), images[i]);
            }
        }

        using var rec = RecordIoImageSource.Open(path, Decoder);

        Assert.Equal(new[] { 1, 0, 1, 2 }, rec.Labels);
        Assert.Equal((4, 3), (rec.Count, rec.ClassCount));
        Assert.Equal($"{path}#3", rec.Locate(3));
        Assert.Equal(Decoder.Decode(images[3], "expected").Data, rec.Load(3).Data);
    }

    [Fact]
    public void Open_IdxMissing_ThrowsFileNotFoundNamingIdx()
    {
        PackTree();
        string idx = _dir.File("train.idx");
        File.Delete(idx);

        var e = Assert.Throws<FileNotFoundException>(() => RecordIoImageSource.Open(_dir.File("train.rec"), Decoder));

        Assert.Equal(idx, e.FileName);
        Assert.Contains(idx, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_RecMissing_ThrowsFileNotFoundNamingRec()
    {
        string rec = _dir.File("absent.rec");

        var e = Assert.Throws<FileNotFoundException>(() => RecordIoImageSource.Open(rec, Decoder));

        Assert.Equal(rec, e.FileName);
        Assert.Contains(rec, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_IndexLacksKeysTheHeaderAnnounces_ThrowsInvalidDataNamingRecAndIdx()
    {
        PackTree();
        string idx = _dir.File("train.idx");
        // Keys 0..7: header, images 1..4, identities 5..7. Drop image key 3 (a damaged or hand-edited index).
        File.WriteAllLines(idx, File.ReadAllLines(idx).Where(line => !line.StartsWith("3\t", StringComparison.Ordinal)));

        var e = Assert.Throws<InvalidDataException>(() => RecordIoImageSource.Open(_dir.File("train.rec"), Decoder));

        Assert.Contains(_dir.File("train.rec"), e.Message, StringComparison.Ordinal);
        Assert.Contains(idx, e.Message, StringComparison.Ordinal);
        Assert.Contains("key 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_PackedRecTruncatedMidRecord_ThrowsInvalidDataNamingRec()
    {
        PackTree();
        string path = _dir.File("train.rec");
        using (var stream = new FileStream(path, FileMode.Open))
        {
            stream.SetLength(stream.Length / 2);
        }

        var e = Assert.Throws<InvalidDataException>(() => RecordIoImageSource.Open(path, Decoder));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ImageRecordTruncatedMidRecord_ThrowsInvalidDataNamingRec()
    {
        string path = WriteIdentitiesFirst([[1f, 2f], [2f, 3f]], [0f, 1f], [Png(10), Png(20)], out long lastImage);
        using (var stream = new FileStream(path, FileMode.Open))
        {
            stream.SetLength(lastImage + 8 + 30);
        }

        using var rec = RecordIoImageSource.Open(path, Decoder);

        Assert.Equal(Decoder.Decode(Png(10), "expected").Data, rec.Load(0).Data);
        var e = Assert.Throws<InvalidDataException>(() => rec.Load(1));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("record 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_IdentityRecordClaimsKeyOutsideHeaderRange_ThrowsInvalidDataNamingRec()
    {
        string path = WriteIdentitiesFirst([[1f, 2f], [2f, 4f]], [0f, 1f], [Png(10), Png(20)], out _);

        var e = Assert.Throws<InvalidDataException>(() => RecordIoImageSource.Open(path, Decoder));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("class 1 claims image key 3", e.Message, StringComparison.Ordinal);
        Assert.Contains("outside the header's image keys 1..2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_TwoIdentityRecordsClaimOneKey_ThrowsInvalidDataNamingRec()
    {
        string path = WriteIdentitiesFirst([[1f, 3f], [2f, 3f]], [0f, 1f], [Png(10), Png(20)], out _);

        var e = Assert.Throws<InvalidDataException>(() => RecordIoImageSource.Open(path, Decoder));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("class 1 claims image key 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("already claimed by another class", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_ImageKeyInNoIdentityRecord_ThrowsInvalidDataNamingRecAndKey()
    {
        string path = WriteIdentitiesFirst([[1f, 2f], [2f, 2f]], [0f, 1f], [Png(10), Png(20)], out _);

        var e = Assert.Throws<InvalidDataException>(() => RecordIoImageSource.Open(path, Decoder));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("image key 2 belongs to no identity record", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RecordLabelDisagreesWithIdentityRange_ThrowsInvalidDataNamingKey()
    {
        // Identity record 4 puts key 2 in class 1, but record 2 itself says class 0.
        string path = WriteIdentitiesFirst([[1f, 2f], [2f, 3f]], [0f, 0f], [Png(10), Png(20)], out _);

        using var rec = RecordIoImageSource.Open(path, Decoder);

        Assert.Equal(new[] { 0, 1 }, rec.Labels);
        Assert.Equal(Decoder.Decode(Png(10), "expected").Data, rec.Load(0).Data);
        var e = Assert.Throws<InvalidDataException>(() => rec.Load(1));
        Assert.StartsWith($"{path}#2:", e.Message, StringComparison.Ordinal);
        Assert.Contains("label 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("class 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RecordLabelNotAClassId_ThrowsInvalidDataNamingKey()
    {
        string path = WriteIdentitiesFirst([[1f, 2f], [2f, 3f]], [0f, 0.5f], [Png(10), Png(20)], out _);

        using var rec = RecordIoImageSource.Open(path, Decoder);

        var e = Assert.Throws<InvalidDataException>(() => rec.Load(1));
        Assert.StartsWith($"{path}#2:", e.Message, StringComparison.Ordinal);
        Assert.Contains("0.5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UndecodableImage_ThrowsInvalidDataNamingKey()
    {
        string path = WriteIdentitiesFirst([[1f, 2f], [2f, 3f]], [0f, 1f], [Png(10), Png(20).AsSpan(0, 30).ToArray()], out _);

        using var rec = RecordIoImageSource.Open(path, Decoder);

        var e = Assert.Throws<InvalidDataException>(() => rec.Load(1));
        Assert.Contains($"{path}#2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_PlainRecWithNonIntegerLabel_ThrowsInvalidDataNamingRecAndKey()
    {
        string path = _dir.File("plain.rec");
        using (var writer = RecordIoWriter.Create(path))
        {
            writer.Write(0, new ImageRecordHeader(1f, 0), Png(10));
            writer.Write(1, new ImageRecordHeader(2.5f, 1), Png(20));
        }

        var e = Assert.Throws<InvalidDataException>(() => RecordIoImageSource.Open(path, Decoder));

        Assert.Contains($"{path}#1", e.Message, StringComparison.Ordinal);
        Assert.Contains("2.5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PlainRecRecordLabelChangedToUnknownClass_ThrowsInvalidDataNamingKey()
    {
        // Two files with the same index offsets: the source is opened on labels 5, 6; the .rec then holds 5, 9.
        string path = _dir.File("plain.rec");
        void Write(float second)
        {
            using var writer = RecordIoWriter.Create(path);
            writer.Write(0, new ImageRecordHeader(5f, 0), Png(10));
            writer.Write(1, new ImageRecordHeader(second, 1), Png(20));
        }

        Write(6f);
        using var rec = RecordIoImageSource.Open(path, Decoder);
        Write(9f);

        var e = Assert.Throws<InvalidDataException>(() => rec.Load(1));
        Assert.StartsWith($"{path}#1:", e.Message, StringComparison.Ordinal);
        Assert.Contains("label 9", e.Message, StringComparison.Ordinal);
    }
}
