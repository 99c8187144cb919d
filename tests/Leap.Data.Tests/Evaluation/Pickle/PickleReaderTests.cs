using Leap.Evaluation.Pickle;

namespace Leap.Data.Tests.Evaluation.Pickle;

public sealed class PickleReaderTests
{
    private static object? Read(params byte[] pickle) => PickleReader.Read(new MemoryStream(pickle), "test.pkl");

    private static string ErrorOf(params byte[] pickle) => Assert.Throws<InvalidDataException>(() => Read(pickle)).Message;

    [Fact]
    public void Read_PythonTupleOfIntsNoneAndText_ReturnsTheValues()
    {
        // pickle.dumps((1, -2, 300, 70000, None, 'é'), protocol=4) from CPython 3.11.
        byte[] pickle =
        [
            0x80, 0x04, 0x95, 0x19, 0, 0, 0, 0, 0, 0, 0, (byte)'(', (byte)'K', 0x01, (byte)'J', 0xFE, 0xFF, 0xFF, 0xFF,
            (byte)'M', 0x2C, 0x01, (byte)'J', 0x70, 0x11, 0x01, 0x00, (byte)'N', 0x8C, 0x02, 0xC3, 0xA9, 0x94, (byte)'t', 0x94, (byte)'.',
        ];

        object? value = Read(pickle);

        Assert.Equal(new object?[] { 1L, -2L, 300L, 70000L, null, "é" }, Assert.IsType<object?[]>(value));
    }

    [Fact]
    public void Read_MemoReference_YieldsTheSameListInstance()
    {
        // ([], <the same list>): EMPTY_LIST, MEMOIZE, BINGET 0, TUPLE2, STOP.
        var tuple = Assert.IsType<object?[]>(Read(0x80, 4, (byte)']', 0x94, (byte)'h', 0, 0x86, (byte)'.'));

        Assert.Same(tuple[0], tuple[1]);
        Assert.IsType<List<object?>>(tuple[0]);
    }

    [Fact]
    public void Read_LongBinputAndLongBinget_RoundTripAMemoEntryAbove255()
    {
        // LONG_BINPUT 300 on b"x", LONG_BINGET 300, TUPLE2.
        var tuple = Assert.IsType<object?[]>(Read(
            0x80, 2, (byte)'C', 1, (byte)'x', (byte)'r', 0x2C, 0x01, 0, 0, (byte)'j', 0x2C, 0x01, 0, 0, 0x86, (byte)'.'));

        Assert.Same(tuple[0], tuple[1]);
        Assert.Equal("x"u8.ToArray(), tuple[0]);
    }

    [Fact]
    public void Read_Binbytes8AndShortTuples_ReadsLengthsAndShapes()
    {
        // (b"abc" via BINBYTES8, (True,), (), (None, False, 7)) built with TUPLE1, EMPTY_TUPLE, TUPLE3, then TUPLE of the four.
        object? value = Read(
            0x80, 4, (byte)'(', 0x8E, 3, 0, 0, 0, 0, 0, 0, 0, (byte)'a', (byte)'b', (byte)'c',
            0x88, 0x85, (byte)')', (byte)'N', 0x89, (byte)'K', 7, 0x87, (byte)'t', (byte)'.');

        var tuple = Assert.IsType<object?[]>(value);
        Assert.Equal("abc"u8.ToArray(), tuple[0]);
        Assert.Equal(new object?[] { true }, tuple[1]);
        Assert.Empty(Assert.IsType<object?[]>(tuple[2]));
        Assert.Equal(new object?[] { null, false, 7L }, tuple[3]);
    }

    [Fact]
    public void Read_BytesAfterStop_AreIgnored()
    {
        Assert.Null(Read(0x80, 2, (byte)'N', (byte)'.', 0xFF, 0xFF));
    }

    [Fact]
    public void Read_DictOpcode_ThrowsNamingOpcodeAndOffset()
    {
        Assert.Equal(
            "test.pkl: unsupported pickle opcode EMPTY_DICT (0x7D) at byte offset 2. Only plain data is read (lists, tuples, bytes, " +
            "str, bools, small ints, None); nothing is imported or called.",
            ErrorOf(0x80, 4, (byte)'}', 0x94, (byte)'.'));
    }

    [Theory]
    [InlineData((byte)'R', "REDUCE (0x52)")]
    [InlineData((byte)'b', "BUILD (0x62)")]
    [InlineData((byte)0x81, "NEWOBJ (0x81)")]
    [InlineData((byte)'G', "BINFLOAT (0x47)")]
    [InlineData((byte)0x97, "NEXT_BUFFER (0x97)")]
    [InlineData((byte)0xFF, "0xFF (not a pickle opcode)")]
    public void Read_UnsupportedOpcode_ThrowsNamingIt(byte code, string name)
    {
        Assert.StartsWith($"test.pkl: unsupported pickle opcode {name} at byte offset 3.", ErrorOf(0x80, 2, (byte)'N', code), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Protocol6_IsRefused()
    {
        Assert.Equal("test.pkl: PROTO (0x80) at byte offset 0 announces protocol 6; only protocols 2 to 5 are read.", ErrorOf(0x80, 6, (byte)'N', (byte)'.'));
    }

    [Fact]
    public void Read_FrameLongerThanTheFile_ThrowsTruncated()
    {
        Assert.Equal(
            "test.pkl: truncated at byte offset 13: FRAME (0x95) at byte offset 2 announces 100 bytes, only 2 remain.",
            ErrorOf(0x80, 4, 0x95, 100, 0, 0, 0, 0, 0, 0, 0, (byte)'N', (byte)'.'));
    }

    [Fact]
    public void Read_NonSeekableStreamEndingInsideBytes_ThrowsTruncatedWithOffsets()
    {
        byte[] pickle = [0x80, 3, (byte)'C', 10, 1, 2, 3];
        using var stream = new ForwardOnlyStream(pickle);

        var error = Assert.Throws<InvalidDataException>(() => PickleReader.Read(stream, "pipe"));

        Assert.Equal("pipe: truncated at byte offset 7: SHORT_BINBYTES (0x43) at byte offset 2 needs 10 bytes from byte offset 4, only 3 remain.", error.Message);
    }

    [Fact]
    public void Read_NoStop_ThrowsTruncatedAtTheEnd()
    {
        Assert.Equal("test.pkl: truncated at byte offset 3: the pickle ends before its STOP opcode.", ErrorOf(0x80, 2, (byte)'N'));
    }

    [Fact]
    public void Read_BingetOfUnstoredEntry_ThrowsMalformed()
    {
        Assert.Equal("test.pkl: malformed pickle: BINGET (0x68) at byte offset 2: memo entry 5 was never stored.", ErrorOf(0x80, 2, (byte)'h', 5, (byte)'.'));
    }

    [Fact]
    public void Read_AppendsWithoutMark_ThrowsMalformed()
    {
        Assert.Equal("test.pkl: malformed pickle: APPENDS (0x65) at byte offset 3: no MARK before it.", ErrorOf(0x80, 2, (byte)']', (byte)'e', (byte)'.'));
    }

    [Fact]
    public void Read_AppendOntoBytes_ThrowsMalformed()
    {
        Assert.Equal(
            "test.pkl: malformed pickle: APPEND (0x61) at byte offset 6: the value below its items is not a list.",
            ErrorOf(0x80, 2, (byte)'C', 1, 0, (byte)'N', (byte)'a', (byte)'.'));
    }

    [Fact]
    public void Read_TwoValuesLeftAtStop_ThrowsMalformed()
    {
        Assert.Equal(
            "test.pkl: malformed pickle: STOP (0x2E) at byte offset 4: 2 values and 0 open marks are left; a pickle ends with exactly one value.",
            ErrorOf(0x80, 2, (byte)'N', (byte)'N', (byte)'.'));
    }

    /// <summary>A stream that cannot seek or tell its length, as a pipe.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
