using System.Buffers.Binary;
using Leap.Data.RecordIo;

namespace Leap.Data.Tests.RecordIo;

public sealed class RecordIoWriterTests : IDisposable
{
    private const uint Magic = 0xced7230a;
    private readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Write_OneRecord_ProducesMxNetBytesAndIndexLine()
    {
        string rec = _dir.File("one.rec");
        using (var writer = RecordIoWriter.Create(rec))
        {
            writer.Write(7, new ImageRecordHeader(3f, 7), [1, 2, 3, 4, 5]);
        }

        byte[] expected =
        [
            0x0a, 0x23, 0xd7, 0xce, // magic, little-endian
            29, 0, 0, 0, // lrecord: flag 0, length 24 + 5
            0, 0, 0, 0, // IRHeader.flag
            0x00, 0x00, 0x40, 0x40, // label 3.0f
            7, 0, 0, 0, 0, 0, 0, 0, // id
            0, 0, 0, 0, 0, 0, 0, 0, // id2
            1, 2, 3, 4, 5, // image
            0, 0, 0, // padding to 4 bytes
        ];
        Assert.Equal(expected, File.ReadAllBytes(rec));
        Assert.Equal("7\t0\n", File.ReadAllText(_dir.File("one.idx")));
    }

    [Fact]
    public void Write_LabelArray_SetsFlagAndReadsBack()
    {
        string rec = _dir.File("labels.rec");
        using (var writer = RecordIoWriter.Create(rec))
        {
            writer.Write(0, new ImageRecordHeader([1.5f, -2f, 3f], 11, 12), [9]);
        }

        using RecordIoReader reader = RecordIoReader.Open(rec);
        ImageRecord record = reader.Read(0);

        Assert.Equal(3u, record.Header.Flag);
        Assert.Equal(new[] { 1.5f, -2f, 3f }, record.Header.Labels);
        Assert.Equal((11ul, 12ul), (record.Header.Id, record.Header.Id2));
        Assert.Equal(new byte[] { 9 }, record.Image);
    }

    [Fact]
    public void Write_PayloadHoldingMagicAtAlignedOffsets_SplitsIntoPartsAndReadsBackWhole()
    {
        // The 24-byte header keeps image offsets 0, 4, 12 aligned in the payload; offset 9 is not aligned.
        var image = new byte[22];
        for (int i = 0; i < image.Length; i++)
        {
            image[i] = (byte)(i + 100);
        }

        foreach (int at in new[] { 0, 4, 9, 12 })
        {
            BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(at), Magic);
        }

        string rec = _dir.File("parts.rec");
        using (var writer = RecordIoWriter.Create(rec))
        {
            writer.Write(1, new ImageRecordHeader(0f, 1), image);
            writer.Write(2, new ImageRecordHeader(5f, 2), [42]);
        }

        byte[] bytes = File.ReadAllBytes(rec);
        uint FlagAt(int offset) => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 4)) >> 29;
        uint LengthAt(int offset) => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 4)) & ((1u << 29) - 1);
        // Magic at payload offsets 24, 28, 36: parts of 24 (first), 0 (middle), 4 (middle), rest (last).
        Assert.Equal((1u, 24u), (FlagAt(0), LengthAt(0)));
        Assert.Equal((2u, 0u), (FlagAt(32), LengthAt(32)));
        Assert.Equal((2u, 4u), (FlagAt(40), LengthAt(40)));
        Assert.Equal((3u, 46u - 40u), (FlagAt(52), LengthAt(52)));

        using RecordIoReader reader = RecordIoReader.Open(rec);
        Assert.Equal(image, reader.Read(1).Image);
        Assert.Equal(new byte[] { 42 }, reader.Read(2).Image);
        Assert.Equal(5, reader.Read(2).Header.ClassLabel());
    }

    [Fact]
    public void Write_RepeatedKey_Throws()
    {
        using var writer = RecordIoWriter.Create(_dir.File("dup.rec"));
        writer.Write(1, new ImageRecordHeader(0f, 1), []);

        Assert.Throws<ArgumentException>(() => writer.Write(1, new ImageRecordHeader(0f, 1), []));
    }
}
