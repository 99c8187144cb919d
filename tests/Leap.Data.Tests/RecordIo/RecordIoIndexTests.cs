using Leap.Data.RecordIo;

namespace Leap.Data.Tests.RecordIo;

public sealed class RecordIoIndexTests : IDisposable
{
    private readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Read_MxNetLines_KeepsFileOrderAndOffsets()
    {
        string idx = _dir.File("a.idx");
        File.WriteAllText(idx, "3\t128\r\n0\t0\n\n7\t64");

        RecordIoIndex index = RecordIoIndex.Read(idx);

        Assert.Equal(new long[] { 3, 0, 7 }, index.Keys);
        Assert.Equal(new long[] { 128, 0, 64 }, index.Keys.Select(index.OffsetOf));
        Assert.True(index.Contains(7));
        Assert.False(index.Contains(1));
    }

    [Fact]
    public void Read_MalformedLine_ThrowsWithLineAndByteOffset()
    {
        string idx = _dir.File("bad.idx");
        File.WriteAllText(idx, "0\t0\n1\t72\n2 144\n");

        var error = Assert.Throws<InvalidDataException>(() => RecordIoIndex.Read(idx));

        Assert.Contains($"'{idx}'", error.Message);
        Assert.Contains("line 3 (byte offset 9)", error.Message);
    }

    [Fact]
    public void Read_RepeatedKey_Throws()
    {
        string idx = _dir.File("dup.idx");
        File.WriteAllText(idx, "0\t0\n0\t72\n");

        var error = Assert.Throws<InvalidDataException>(() => RecordIoIndex.Read(idx));

        Assert.Contains("line 2 (byte offset 4): key 0 appears twice", error.Message);
    }

    [Fact]
    public void Write_ThenRead_RoundTrips()
    {
        var index = new RecordIoIndex([5, 1], [0, 40]);
        string idx = _dir.File("w.idx");

        index.Write(idx);

        Assert.Equal("5\t0\n1\t40\n", File.ReadAllText(idx));
        Assert.Equal(new long[] { 5, 1 }, RecordIoIndex.Read(idx).Keys);
    }
}
