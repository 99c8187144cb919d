namespace Leap.Data.Images;

/// <summary>
/// Netpbm PGM, binary (P5) and plain (P2), which Skia cannot read. Header: magic, width, height, maxval (1..65535),
/// separated by whitespace, with '#' comments to end of line; then exactly one whitespace byte and the raster
/// (P5: 1 byte per sample when maxval &lt; 256, else 2 bytes big-endian; P2: decimal numbers). Samples are divided
/// by maxval into [0, 1]. Errors name the source and the byte offset.
/// </summary>
public static class PortableGreymap
{
    /// <summary>True when <paramref name="bytes"/> start with "P5" or "P2" followed by whitespace.</summary>
    public static bool IsPgm(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 3 && bytes[0] == (byte)'P' && (bytes[1] == (byte)'5' || bytes[1] == (byte)'2') && IsSpace(bytes[2]);

    /// <summary>Decodes a PGM into a one-channel buffer.</summary>
    public static ImageBuffer Decode(ReadOnlySpan<byte> bytes, string source, long maxPixels = long.MaxValue)
    {
        if (!IsPgm(bytes))
        {
            throw Error(source, 0, "not a PGM (expected \"P5\" or \"P2\" and whitespace)");
        }

        bool plain = bytes[1] == (byte)'2';
        int position = 2;
        int width = ReadHeaderNumber(bytes, ref position, source, "width", 1, int.MaxValue);
        int height = ReadHeaderNumber(bytes, ref position, source, "height", 1, int.MaxValue);
        int maxValue = ReadHeaderNumber(bytes, ref position, source, "maxval", 1, 65535);
        if ((long)width * height > maxPixels)
        {
            throw Error(source, position, $"{width}x{height} exceeds the limit of {maxPixels} pixels");
        }

        if (position >= bytes.Length || !IsSpace(bytes[position]))
        {
            throw Error(source, position, "expected one whitespace byte after maxval");
        }

        position++;
        var image = ImageBuffer.Zeros(1, height, width);
        if (plain)
        {
            ReadPlainRaster(bytes, position, image.Data, maxValue, source);
        }
        else
        {
            ReadBinaryRaster(bytes, position, image.Data, maxValue, source);
        }

        return image;
    }

    private static void ReadBinaryRaster(ReadOnlySpan<byte> bytes, int start, float[] data, int maxValue, string source)
    {
        int bytesPerSample = maxValue < 256 ? 1 : 2;
        long needed = (long)data.Length * bytesPerSample;
        if (bytes.Length - start < needed)
        {
            throw Error(source, bytes.Length,
                $"raster truncated: {data.Length} samples need {needed} bytes from offset {start}, {bytes.Length - start} present");
        }

        for (int i = 0; i < data.Length; i++)
        {
            int at = start + (i * bytesPerSample);
            int value = bytesPerSample == 1 ? bytes[at] : (bytes[at] << 8) | bytes[at + 1];
            if (value > maxValue)
            {
                throw Error(source, at, $"sample {value} exceeds maxval {maxValue}");
            }

            data[i] = value / (float)maxValue;
        }
    }

    private static void ReadPlainRaster(ReadOnlySpan<byte> bytes, int position, float[] data, int maxValue, string source)
    {
        for (int i = 0; i < data.Length; i++)
        {
            SkipWhitespace(bytes, ref position, allowComments: false);
            if (position >= bytes.Length)
            {
                throw Error(source, position, $"raster truncated after {i} of {data.Length} samples");
            }

            int value = ReadDecimal(bytes, ref position, source, "sample", 0, maxValue);
            data[i] = value / (float)maxValue;
        }
    }

    private static int ReadHeaderNumber(ReadOnlySpan<byte> bytes, ref int position, string source, string name, int min, int max)
    {
        SkipWhitespace(bytes, ref position, allowComments: true);
        return ReadDecimal(bytes, ref position, source, name, min, max);
    }

    private static int ReadDecimal(ReadOnlySpan<byte> bytes, ref int position, string source, string name, int min, int max)
    {
        int start = position;
        long value = 0;
        while (position < bytes.Length && bytes[position] >= (byte)'0' && bytes[position] <= (byte)'9')
        {
            value = Math.Min((value * 10) + (bytes[position] - (byte)'0'), (long)int.MaxValue + 1);
            position++;
        }

        if (position == start)
        {
            string found = start < bytes.Length ? $"byte 0x{bytes[start]:x2}" : "end of data";
            throw Error(source, start, $"expected a decimal {name}, found {found}");
        }

        if (value < min || value > max)
        {
            throw Error(source, start, $"{name} {value} is outside [{min}, {max}]");
        }

        return (int)value;
    }

    private static void SkipWhitespace(ReadOnlySpan<byte> bytes, ref int position, bool allowComments)
    {
        while (position < bytes.Length)
        {
            if (IsSpace(bytes[position]))
            {
                position++;
            }
            else if (allowComments && bytes[position] == (byte)'#')
            {
                while (position < bytes.Length && bytes[position] != (byte)'\n' && bytes[position] != (byte)'\r')
                {
                    position++;
                }
            }
            else
            {
                return;
            }
        }
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0b or 0x0c;

    private static InvalidDataException Error(string source, long offset, string problem) =>
        new($"PGM image '{source}' is invalid at byte offset {offset}: {problem}");
}
