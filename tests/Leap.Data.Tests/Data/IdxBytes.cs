using System.Buffers.Binary;
using System.IO.Compression;

namespace Leap.Data.Tests.Data;

/// <summary>Builds IDX byte images for tests, independently of the reader under test.</summary>
internal static class IdxBytes
{
    public static byte[] Images(int count, int rows, int cols, Func<int, byte> pixel)
    {
        var bytes = new List<byte>();
        AddUInt32(bytes, 0x00000803);
        AddUInt32(bytes, (uint)count);
        AddUInt32(bytes, (uint)rows);
        AddUInt32(bytes, (uint)cols);
        for (int i = 0; i < count * rows * cols; i++)
        {
            bytes.Add(pixel(i));
        }

        return [.. bytes];
    }

    public static byte[] Labels(params byte[] labels)
    {
        var bytes = new List<byte>();
        AddUInt32(bytes, 0x00000801);
        AddUInt32(bytes, (uint)labels.Length);
        bytes.AddRange(labels);
        return [.. bytes];
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private static void AddUInt32(List<byte> bytes, uint value)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(buffer, value);
        bytes.AddRange(buffer.ToArray());
    }
}
