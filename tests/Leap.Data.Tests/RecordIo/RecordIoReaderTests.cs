using Leap.Data.RecordIo;
using Microsoft.Extensions.Logging;

namespace Leap.Data.Tests.RecordIo;

public sealed class RecordIoReaderTests : IDisposable
{
    private readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Keys 0, 1, 2 with 40-byte images: each record is 8 + 24 + 40 = 72 bytes, at offsets 0, 72, 144.</summary>
    private string WriteThreeRecords()
    {
        string rec = _dir.File("three.rec");
        using var writer = RecordIoWriter.Create(rec);
        for (int key = 0; key < 3; key++)
        {
            writer.Write(key, new ImageRecordHeader(key * 10, (ulong)key), Enumerable.Repeat((byte)key, 40).ToArray());
        }

        return rec;
    }

    private static void Patch(string path, long offset, params byte[] bytes)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
        stream.Position = offset;
        stream.Write(bytes);
    }

    private static void Truncate(string path, long length)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
        stream.SetLength(length);
    }

    [Fact]
    public void Read_PlainRec_RandomAccessByKeyInAnyOrder()
    {
        string rec = WriteThreeRecords();

        using RecordIoReader reader = RecordIoReader.Open(rec);

        Assert.Equal(new long[] { 0, 72, 144 }, reader.Index.Keys.Select(reader.Index.OffsetOf));
        ImageRecord two = reader.Read(2);
        ImageRecord zero = reader.Read(0);
        Assert.Equal((2L, 144L, 20), (two.Key, two.Offset, two.Header.ClassLabel()));
        Assert.Equal(Enumerable.Repeat((byte)2, 40), two.Image);
        Assert.Equal(0, zero.Header.ClassLabel());
        Assert.Null(reader.ReadInsightFaceHeader());
        Assert.Equal(new long[] { 0, 1, 2 }, reader.ImageKeys());
        Assert.Empty(reader.ReadIdentityRanges());
    }

    [Fact]
    public void ReadHeader_WholeAndMultiPartRecords_MatchFullRead()
    {
        string rec = _dir.File("mixed.rec");
        byte[] withMagic = [0x0a, 0x23, 0xd7, 0xce, 1, 2, 3];
        using (var writer = RecordIoWriter.Create(rec))
        {
            writer.Write(0, new ImageRecordHeader(4f, 100, 200), [1, 2, 3]);
            writer.Write(1, new ImageRecordHeader([7f, 8f, 9f], 101), [4]);
            writer.Write(2, new ImageRecordHeader(6f, 102), withMagic);
        }

        using RecordIoReader reader = RecordIoReader.Open(rec);

        foreach (long key in new long[] { 0, 1, 2 })
        {
            ImageRecordHeader header = reader.ReadHeader(key);
            ImageRecordHeader full = reader.Read(key).Header;
            Assert.Equal((full.Flag, full.Id, full.Id2), (header.Flag, header.Id, header.Id2));
            Assert.Equal(full.Labels, header.Labels);
        }

        Assert.Equal(new[] { 7f, 8f, 9f }, reader.ReadHeader(1).Labels);
        Assert.Equal(withMagic, reader.Read(2).Image);
        Assert.Equal(new[] { 4, 7, 6 }, reader.ReadImageLabels());
    }

    [Fact]
    public void ReadHeader_CorruptedMagic_ThrowsWithOffset()
    {
        string rec = WriteThreeRecords();
        Patch(rec, 144, 0);

        using RecordIoReader reader = RecordIoReader.Open(rec);
        var error = Assert.Throws<InvalidDataException>(() => reader.ReadHeader(2));

        Assert.Contains("byte offset 144:", error.Message);
    }

    [Fact]
    public void Read_UnknownKey_ThrowsKeyNotFound()
    {
        using RecordIoReader reader = RecordIoReader.Open(WriteThreeRecords());

        Assert.Throws<KeyNotFoundException>(() => reader.Read(3));
    }

    [Fact]
    public void Read_CorruptedMagic_ThrowsNamingFileAndRecordOffset()
    {
        string rec = WriteThreeRecords();
        Patch(rec, 72, 0xff);

        using RecordIoReader reader = RecordIoReader.Open(rec);
        var error = Assert.Throws<InvalidDataException>(() => reader.Read(1));

        Assert.Contains($"'{rec}'", error.Message);
        Assert.Contains("byte offset 72:", error.Message);
        Assert.Contains("magic 0xced723ff", error.Message);
        Assert.Equal(20, reader.Read(2).Header.ClassLabel());
    }

    [Fact]
    public void Read_TruncatedInsidePayload_ThrowsWithPayloadOffset()
    {
        string rec = WriteThreeRecords();
        Truncate(rec, 144 + 8 + 30);

        using RecordIoReader reader = RecordIoReader.Open(rec);
        var error = Assert.Throws<InvalidDataException>(() => reader.Read(2));

        Assert.Contains($"'{rec}'", error.Message);
        Assert.Contains("byte offset 152:", error.Message);
        Assert.Contains("declares 64 bytes", error.Message);
    }

    [Fact]
    public void Read_TruncatedInsidePartHeader_ThrowsWithHeaderOffset()
    {
        string rec = WriteThreeRecords();
        Truncate(rec, 144 + 5);

        using RecordIoReader reader = RecordIoReader.Open(rec);
        var error = Assert.Throws<InvalidDataException>(() => reader.Read(2));

        Assert.Contains("byte offset 144:", error.Message);
        Assert.Contains("file ends inside the header of record 2", error.Message);
    }

    [Fact]
    public void Read_IndexOffsetPastEnd_Throws()
    {
        string rec = WriteThreeRecords();
        File.WriteAllText(_dir.File("three.idx"), "0\t0\n1\t9999\n");

        using RecordIoReader reader = RecordIoReader.Open(rec);
        var error = Assert.Throws<InvalidDataException>(() => reader.Read(1));

        Assert.Contains("byte offset 9999:", error.Message);
    }

    [Fact]
    public void Read_LengthAboveLimit_ThrowsWithoutAllocating()
    {
        string rec = WriteThreeRecords();

        using RecordIoReader reader = RecordIoReader.Open(rec, options: new RecordIoReaderOptions { MaxRecordBytes = 32 });
        var error = Assert.Throws<InvalidDataException>(() => reader.Read(0));

        Assert.Contains("larger than the 32-byte limit", error.Message);
    }

    [Fact]
    public void Read_ContinuationPartWithoutStart_Throws()
    {
        string rec = WriteThreeRecords();
        Patch(rec, 72 + 7, 2 << 5); // top 3 bits of lrecord = 2 (middle part) on a record's first part

        using RecordIoReader reader = RecordIoReader.Open(rec);
        var error = Assert.Throws<InvalidDataException>(() => reader.Read(1));

        Assert.Contains("byte offset 72:", error.Message);
        Assert.Contains("continuation flag 2", error.Message);
    }

    [Fact]
    public void Read_PayloadShorterThanHeader_Throws()
    {
        string rec = _dir.File("short.rec");
        File.WriteAllBytes(rec, [0x0a, 0x23, 0xd7, 0xce, 4, 0, 0, 0, 1, 2, 3, 4]);
        File.WriteAllText(_dir.File("short.idx"), "5\t0\n");

        using RecordIoReader reader = RecordIoReader.Open(rec);
        var error = Assert.Throws<InvalidDataException>(() => reader.Read(5));

        Assert.Contains("byte offset 8:", error.Message);
        Assert.Contains("shorter than the 24-byte image record header", error.Message);
    }

    [Fact]
    public void TryRead_ThrowPolicy_Throws()
    {
        string rec = WriteThreeRecords();
        Patch(rec, 0, 0);

        using RecordIoReader reader = RecordIoReader.Open(rec);

        Assert.Throws<InvalidDataException>(() => reader.TryRead(0, out _));
    }

    [Fact]
    public void ReadAll_SkipPolicy_SkipsCountsLogsAndCollectsKeys()
    {
        string rec = WriteThreeRecords();
        Patch(rec, 0, 0);
        Truncate(rec, 144 + 20);
        var logger = new ListLogger<RecordIoReader>();

        using RecordIoReader reader = RecordIoReader.Open(
            rec, options: new RecordIoReaderOptions { OnCorruptRecord = CorruptDataPolicy.Skip }, logger: logger);
        ImageRecord[] records = reader.ReadAll().ToArray();

        Assert.Equal(new long[] { 1 }, records.Select(r => r.Key));
        Assert.Equal(2, reader.Skipped.Count);
        Assert.Equal(new long[] { 0, 2 }, reader.Skipped.Ids);
        Assert.Contains("byte offset 0:", reader.Skipped.Entries[0].Reason);
        Assert.Contains("byte offset 152:", reader.Skipped.Entries[1].Reason);
        Assert.Equal(2, logger.Entries.Count(e => e.Level == LogLevel.Warning));
        Assert.Contains("2 skipped so far", logger.Entries[^1].Message);
    }

    [Fact]
    public void ReadInsightFaceHeader_Record0WithBadRange_Throws()
    {
        string rec = _dir.File("header.rec");
        using (var writer = RecordIoWriter.Create(rec))
        {
            writer.Write(0, new ImageRecordHeader([5f, 2f], 0), []);
        }

        using RecordIoReader reader = RecordIoReader.Open(rec);
        var error = Assert.Throws<InvalidDataException>(() => reader.ReadInsightFaceHeader());

        Assert.Contains("record 0 labels [5, 2]", error.Message);
    }
}
