using System.Text;
using Leap.Data.Images;

namespace Leap.Data.Tests.Images;

public sealed class PortableGreymapTests
{
    [Fact]
    public void Decode_BinaryP5WithComment_ScalesByMaxval()
    {
        byte[] header = Encoding.ASCII.GetBytes("P5\n# made by hand\n3 2\n# maxval next\n15\n");
        byte[] bytes = [.. header, 0, 3, 15, 6, 9, 12];

        ImageBuffer image = PortableGreymap.Decode(bytes, "hand.pgm");

        Assert.Equal((1, 2, 3), (image.Channels, image.Height, image.Width));
        Assert.Equal(new[] { 0f, 3f, 15f, 6f, 9f, 12f }.Select(v => v / 15f), image.Data);
    }

    [Fact]
    public void Decode_PlainP2_ReadsDecimalSamples()
    {
        ImageBuffer image = PortableGreymap.Decode("P2\n2 2\n4\n0 1\n 2\t4\n"u8, "plain.pgm");

        Assert.Equal(new[] { 0f, 0.25f, 0.5f, 1f }, image.Data);
    }

    [Fact]
    public void Decode_SixteenBitP5_ReadsBigEndianSamples()
    {
        byte[] bytes = [.. "P5 2 1 1000\n"u8.ToArray(), 0x01, 0xF4, 0x03, 0xE8];

        ImageBuffer image = PortableGreymap.Decode(bytes, "deep.pgm");

        Assert.Equal(new[] { 0.5f, 1f }, image.Data);
    }

    [Fact]
    public void Decode_TruncatedRaster_ThrowsWithOffset()
    {
        var error = Assert.Throws<InvalidDataException>(() => PortableGreymap.Decode("P5\n2 2\n255\n\x01\x02\x03"u8, "cut.pgm"));

        Assert.Contains("'cut.pgm' is invalid at byte offset 14", error.Message);
        Assert.Contains("4 samples need 4 bytes from offset 11, 3 present", error.Message);
    }

    [Fact]
    public void Decode_ZeroMaxval_ThrowsAtItsOffset()
    {
        var error = Assert.Throws<InvalidDataException>(() => PortableGreymap.Decode("P5 1 1 0\n\x00"u8, "zero.pgm"));

        Assert.Contains("byte offset 7: maxval 0 is outside [1, 65535]", error.Message);
    }

    [Fact]
    public void Decode_P2SampleAboveMaxval_Throws()
    {
        var error = Assert.Throws<InvalidDataException>(() => PortableGreymap.Decode("P2 2 1 9 3 10"u8, "over.pgm"));

        Assert.Contains("byte offset 11: sample 10 is outside [0, 9]", error.Message);
    }

    [Theory]
    [InlineData("P5 1 1 255\n", true)]
    [InlineData("P2\n", true)]
    [InlineData("P6 1 1 255\n", false)]
    [InlineData("P5", false)]
    public void IsPgm_Signature_RecognisesP5AndP2Only(string start, bool expected)
    {
        Assert.Equal(expected, PortableGreymap.IsPgm(Encoding.ASCII.GetBytes(start)));
    }
}
