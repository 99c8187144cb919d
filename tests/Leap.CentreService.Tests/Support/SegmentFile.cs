using System.Buffers.Binary;
using Leap.CentreService.Persistence;

namespace Leap.CentreService.Tests.Support;

/// <summary>Test-side view of a push-log segment on disk: where each record's frame starts and how long it is.</summary>
public static class SegmentFile
{
    public static string Newest(string directory) => PushLog.SegmentPath(directory, PushLog.ListSegments(directory).Max());

    /// <summary>(offset, total frame length) of every record, walking the length fields from the header on.</summary>
    public static List<(int Offset, int Length)> Records(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var records = new List<(int, int)>();
        int at = PushLog.SegmentHeaderBytes;
        while (at + 8 <= bytes.Length)
        {
            int size = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
            records.Add((at, 8 + size));
            at += 8 + size;
        }
        return records;
    }

    public static void Append(string path, ReadOnlySpan<byte> bytes)
    {
        using var file = new FileStream(path, FileMode.Append);
        file.Write(bytes);
    }

    public static void FlipBit(string path, long offset, int bit)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        int b = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(b ^ (1 << bit)));
    }
}
