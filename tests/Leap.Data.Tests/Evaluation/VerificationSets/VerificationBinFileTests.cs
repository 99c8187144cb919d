using Leap.Evaluation;
using Leap.Evaluation.VerificationSets;

namespace Leap.Data.Tests.Evaluation.VerificationSets;

public sealed class VerificationBinFileTests
{
    [Theory]
    [InlineData("py2_protocol2.bin")]
    [InlineData("protocol3.bin")]
    [InlineData("protocol4.bin")]
    [InlineData("protocol5.bin")]
    public void Read_PythonWrittenFile_ReturnsEveryImageByteForByteAndEveryFlag(string file)
    {
        (byte[][] images, bool[] isSame) = VerificationBinReference.ContentOf(file);

        VerificationBinFile bin = VerificationBinFile.Read(VerificationBinReference.PathOf(file));

        Assert.Equal(images.Length, bin.Images.Count);
        for (int k = 0; k < images.Length; k++)
        {
            Assert.True(images[k].AsSpan().SequenceEqual(bin.Images[k]), $"{file}: image {k} differs.");
        }

        Assert.Equal(isSame.Select((same, i) => new VerificationPair(2 * i, (2 * i) + 1, same)), bin.Pairs);
    }

    [Fact]
    public void Read_Python3Protocol2File_RefusesTheCodecsEncodeCallNamingFileOpcodeAndOffset()
    {
        string path = VerificationBinReference.PathOf("py3_protocol2.bin");
        long offset = VerificationBinReference.Case("py3_protocol2.bin").GetProperty("first_global_offset").GetInt64();

        var error = Assert.Throws<InvalidDataException>(() => VerificationBinFile.Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains($"GLOBAL (0x63) at byte offset {offset}", error.Message, StringComparison.Ordinal);
        Assert.Contains("_codecs.encode", error.Message, StringComparison.Ordinal);
        Assert.Contains("protocol 3 or higher", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("protocol3.bin")]
    [InlineData("protocol5.bin")]
    public void Read_EveryTruncation_ThrowsTruncatedNamingTheSource(string file)
    {
        byte[] whole = File.ReadAllBytes(VerificationBinReference.PathOf(file));
        for (int length = 0; length < whole.Length; length++)
        {
            using var stream = new MemoryStream(whole, 0, length);

            var error = Assert.Throws<InvalidDataException>(() => VerificationBinFile.Read(stream, file));

            Assert.StartsWith($"{file}: truncated at byte offset ", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Read_CutInsideAnImage_NamesTheOpcodeAndWhereTheFileEnds()
    {
        // protocol3.bin: PROTO 3, EMPTY_LIST, BINPUT 0, MARK, SHORT_BINBYTES (12 bytes), BINPUT 1, then BINBYTES of the
        // 300-byte image at offset 22, its data from offset 27.
        byte[] whole = File.ReadAllBytes(VerificationBinReference.PathOf("protocol3.bin"));
        using var stream = new MemoryStream(whole, 0, 100);

        var error = Assert.Throws<InvalidDataException>(() => VerificationBinFile.Read(stream, "protocol3.bin"));

        Assert.Equal(
            "protocol3.bin: truncated at byte offset 100: BINBYTES (0x42) at byte offset 22 needs 300 bytes from byte offset 27, only 73 remain.",
            error.Message);
    }

    [Fact]
    public void Read_HandWrittenPython2Pickle_ReadsStrImagesAndBackReference()
    {
        byte[] image300 = Enumerable.Range(0, 300).Select(i => (byte)(i * 7)).ToArray();
        byte[] pickle =
        [
            0x80, 2,                                       // PROTO 2
            (byte)']', (byte)'q', 0, (byte)'(',            // EMPTY_LIST, BINPUT 0, MARK
            (byte)'U', 2, .. "ab"u8, (byte)'q', 1,         // SHORT_BINSTRING "ab", BINPUT 1
            (byte)'T', 0x2C, 0x01, 0, 0, .. image300, (byte)'q', 2, // BINSTRING of 300 bytes, BINPUT 2
            (byte)'h', 1,                                  // BINGET 1: "ab" again
            (byte)'U', 1, (byte)'z', (byte)'q', 3,         // SHORT_BINSTRING "z", BINPUT 3
            (byte)'e',                                     // APPENDS
            (byte)']', (byte)'q', 4, (byte)'(', 0x88, 0x89, (byte)'e', // EMPTY_LIST, BINPUT 4, MARK, NEWTRUE, NEWFALSE, APPENDS
            0x86, (byte)'q', 5, (byte)'.',                 // TUPLE2, BINPUT 5, STOP
        ];

        VerificationBinFile bin = VerificationBinFile.Read(new MemoryStream(pickle), "py2.bin");

        Assert.Equal(new[] { "ab"u8.ToArray(), image300, "ab"u8.ToArray(), "z"u8.ToArray() }, bin.Images);
        Assert.Equal(new[] { new VerificationPair(0, 1, true), new VerificationPair(2, 3, false) }, bin.Pairs);
    }

    [Fact]
    public void Read_IssameAsNumpyArray_RefusesNamingNumpy()
    {
        byte[] pickle =
        [
            0x80, 2, (byte)']', (byte)'(', (byte)'C', 1, (byte)'a', (byte)'C', 1, (byte)'b', (byte)'e',
            (byte)'c', .. "numpy.core.multiarray\n_reconstruct\n"u8,
        ];

        var error = Assert.Throws<InvalidDataException>(() => VerificationBinFile.Read(new MemoryStream(pickle), "agedb_30.bin"));

        Assert.Equal(
            "agedb_30.bin: unsupported pickle opcode GLOBAL (0x63) at byte offset 11: it would import numpy.core.multiarray._reconstruct " +
            "to rebuild an object, and this reader never imports or calls anything. This is a numpy array, which is unsupported: " +
            "re-save the data as plain lists of bytes and bools.",
            error.Message);
    }

    [Fact]
    public void Read_NumpyArrayPickledWithProtocol4_NamesTheStackGlobal()
    {
        byte[] pickle =
        [
            0x80, 4, 0x8C, 21, .. "numpy.core.multiarray"u8, 0x94, 0x8C, 12, .. "_reconstruct"u8, 0x94, 0x93,
        ];

        var error = Assert.Throws<InvalidDataException>(() => VerificationBinFile.Read(new MemoryStream(pickle), "cfp_fp.bin"));

        Assert.StartsWith("cfp_fp.bin: unsupported pickle opcode STACK_GLOBAL (0x93) at byte offset 41: it would import numpy.core.multiarray._reconstruct",
            error.Message, StringComparison.Ordinal);
        Assert.Contains("numpy array", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OddNumberOfImages_ThrowsNamingCounts()
    {
        byte[] pickle = [0x80, 4, (byte)']', (byte)'(', (byte)'C', 1, 1, (byte)'C', 1, 2, (byte)'C', 1, 3, (byte)'e', (byte)']', 0x88, (byte)'a', 0x86, (byte)'.'];

        var error = Assert.Throws<InvalidDataException>(() => VerificationBinFile.Read(new MemoryStream(pickle), "x.bin"));

        Assert.Equal("x.bin: 3 images for 1 issame flags; a verification file holds two images per flag and at least one pair.", error.Message);
    }

    [Fact]
    public void Read_IntegerFlag_ThrowsNamingTheFlag()
    {
        byte[] pickle = [0x80, 4, (byte)']', (byte)'(', (byte)'C', 1, 1, (byte)'C', 1, 2, (byte)'e', (byte)']', (byte)'K', 1, (byte)'a', 0x86, (byte)'.'];

        var error = Assert.Throws<InvalidDataException>(() => VerificationBinFile.Read(new MemoryStream(pickle), "x.bin"));

        Assert.Equal("x.bin: issame_list[0] should be a bool, found an int.", error.Message);
    }

    [Fact]
    public void Read_ListInsteadOfTuple_ThrowsNamingWhatWasFound()
    {
        byte[] pickle = [0x80, 4, (byte)']', (byte)']', (byte)'a', (byte)'.'];

        var error = Assert.Throws<InvalidDataException>(() => VerificationBinFile.Read(new MemoryStream(pickle), "x.bin"));

        Assert.Equal("x.bin: expected the pickle to hold a tuple (bins, issame_list), found a list of 1 items.", error.Message);
    }

    [Fact]
    public void Read_MissingFile_ThrowsFileNotFoundNamingIt()
    {
        string path = Path.Combine(Path.GetTempPath(), "leap-missing-" + Guid.NewGuid().ToString("N") + ".bin");

        var error = Assert.Throws<FileNotFoundException>(() => VerificationBinFile.Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
