using System.Buffers.Binary;

namespace Leap.CentreService.Persistence;

/// <summary>What reading one segment found: its valid records' payloads and where (if anywhere) it stopped early.</summary>
internal sealed record SegmentReadResult(int Records, long ValidLength, long FileLength, string? TornReason);

/// <summary>Reads a push-log segment record by record, checking each record's length and CRC.</summary>
internal static class PushLogReader
{
    /// <summary>
    /// Calls <paramref name="onRecord"/> with every valid payload in order and stops at the first record that is cut
    /// short or fails its CRC (a torn tail from a crash). The caller decides what a stop means for this segment.
    /// </summary>
    public static SegmentReadResult Read(string path, Action<byte[]> onRecord)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        long length = stream.Length;
        var header = new byte[PushLog.SegmentHeaderBytes];
        if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
        {
            return new SegmentReadResult(0, 0, length, "the segment header is incomplete");
        }
        if (!header.AsSpan(0, 8).SequenceEqual(PushLog.Magic))
        {
            throw new InvalidDataException($"{path} is not a push-log segment (bad magic).");
        }
        int version = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8));
        if (version != PushLog.FormatVersion)
        {
            throw new InvalidDataException($"{path} has push-log format version {version}; this build reads version {PushLog.FormatVersion}.");
        }
        long valid = header.Length;
        int records = 0;
        var frame = new byte[PushRecordCodec.HeaderBytes];
        while (valid < length)
        {
            if (stream.ReadAtLeast(frame, frame.Length, throwOnEndOfStream: false) < frame.Length)
            {
                return new SegmentReadResult(records, valid, length, $"a record header at byte {valid} is cut short");
            }
            int size = BinaryPrimitives.ReadInt32LittleEndian(frame);
            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(4));
            if (size < 0 || size > PushRecordCodec.MaxPayloadBytes || valid + frame.Length + size > length)
            {
                return new SegmentReadResult(records, valid, length, $"the record at byte {valid} claims {size} bytes but the file ends first");
            }
            var payload = new byte[size];
            stream.ReadExactly(payload);
            if (Crc32.Compute(payload) != crc)
            {
                return new SegmentReadResult(records, valid, length, $"the record at byte {valid} fails its CRC");
            }
            onRecord(payload);
            records++;
            valid += frame.Length + size;
        }
        return new SegmentReadResult(records, valid, length, null);
    }

    /// <summary>Cuts a segment back to its valid prefix (after a torn tail was dropped).</summary>
    public static void Truncate(string path, long validLength)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write);
        RandomAccess.SetLength(handle, validLength);
        RandomAccess.FlushToDisk(handle);
    }
}
