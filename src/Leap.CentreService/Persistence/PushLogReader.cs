using System.Buffers.Binary;

namespace Leap.CentreService.Persistence;

/// <summary>How a segment's read ended.</summary>
internal enum SegmentEnd
{
    /// <summary>Every byte belongs to a valid record.</summary>
    Clean,

    /// <summary>The header is missing or incomplete: the process died while creating the segment, before any append
    /// (recovery deletes such a segment, so one that a segment with records follows was damaged, not torn).</summary>
    Empty,

    /// <summary>The tail after the last valid record is what a crash mid-append leaves (cut short or zero-filled); it
    /// holds no acknowledged push and may be cut off.</summary>
    Torn,

    /// <summary>A complete record fails its check, or valid records follow a damaged one: acknowledged data is damaged.</summary>
    Corrupt,
}

/// <summary>What reading one segment found: its valid records, where it stopped and why.</summary>
internal sealed record SegmentReadResult(int Records, long ValidLength, long FileLength, SegmentEnd End, string? Reason);

/// <summary>
/// Reads a push-log segment record by record, checking each record's length and CRC, and tells a torn tail (the
/// only damage a crash mid-append can leave: the file ends inside the last record, or its last sector(s) read as
/// zeros) from corruption of acknowledged records (a complete record that fails its CRC, or any valid record after
/// a damaged one). Appends are written in order and an acknowledgement fsyncs everything before it, so a valid
/// record after a damaged one proves the damaged one had been acknowledged.
/// </summary>
internal static class PushLogReader
{
    private const int SectorBytes = 512;

    /// <summary>Calls <paramref name="onRecord"/> with every valid payload in order, up to the first damaged record.</summary>
    public static SegmentReadResult Read(string path, Action<byte[]> onRecord)
    {
        byte[] bytes = File.ReadAllBytes(path);
        long length = bytes.Length;
        if (length < PushLog.SegmentHeaderBytes)
        {
            return new SegmentReadResult(0, 0, length, SegmentEnd.Empty, $"its header is incomplete ({length} bytes)");
        }
        if (!bytes.AsSpan(0, 8).SequenceEqual(PushLog.Magic))
        {
            throw new InvalidDataException($"{path} is not a push-log segment (bad magic).");
        }
        int version = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
        if (version != PushLog.FormatVersion)
        {
            throw new InvalidDataException($"{path} has push-log format version {version}; this build reads version {PushLog.FormatVersion}.");
        }
        int valid = PushLog.SegmentHeaderBytes;
        int records = 0;
        while (valid < length)
        {
            var check = CheckRecord(bytes, valid);
            if (check.Problem is not null)
            {
                return Damaged(bytes, valid, records, check);
            }
            onRecord(bytes.AsSpan(valid + PushRecordCodec.HeaderBytes, check.Size).ToArray());
            records++;
            valid += PushRecordCodec.HeaderBytes + check.Size;
        }
        return new SegmentReadResult(records, valid, length, SegmentEnd.Clean, null);
    }

    /// <summary>Cuts a segment back to its valid prefix (after a torn tail was dropped).</summary>
    public static void Truncate(string path, long validLength)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write);
        RandomAccess.SetLength(handle, validLength);
        RandomAccess.FlushToDisk(handle);
    }

    private readonly record struct RecordCheck(int Size, string? Problem, bool Complete);

    private static RecordCheck CheckRecord(byte[] bytes, int at)
    {
        int left = bytes.Length - at;
        if (left < PushRecordCodec.HeaderBytes)
        {
            return new RecordCheck(0, $"the record header at byte {at} is cut short", Complete: false);
        }
        int size = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 4));
        if (size < PushRecordCodec.MinPayloadBytes || size > PushRecordCodec.MaxPayloadBytes)
        {
            return new RecordCheck(size, $"the record at byte {at} has an impossible length {size}", Complete: false);
        }
        if ((long)size > left - PushRecordCodec.HeaderBytes)
        {
            return new RecordCheck(size, $"the record at byte {at} claims {size} bytes but the file ends first", Complete: false);
        }
        return Crc32.Compute(bytes.AsSpan(at + PushRecordCodec.HeaderBytes, size)) == crc
            ? new RecordCheck(size, null, Complete: true)
            : new RecordCheck(size, $"the record at byte {at} fails its CRC", Complete: true);
    }

    private static SegmentReadResult Damaged(byte[] bytes, int at, int records, RecordCheck check)
    {
        long length = bytes.Length;
        int? following = NextValidRecord(bytes, at + 1);
        if (following is { } next)
        {
            return new SegmentReadResult(records, at, length, SegmentEnd.Corrupt,
                $"{check.Problem}, yet a valid record follows at byte {next}: acknowledged pushes are damaged");
        }
        if (IsTornTail(bytes, at, check))
        {
            return new SegmentReadResult(records, at, length, SegmentEnd.Torn, check.Problem);
        }
        return new SegmentReadResult(records, at, length, SegmentEnd.Corrupt,
            $"{check.Problem}, and the record is complete (not a torn write): an acknowledged push is damaged");
    }

    /// <summary>
    /// A crash mid-append leaves the file ending inside the record, or (power loss on a file system that extended
    /// the file before writing its blocks) zero-filled sectors up to the end. A complete record with a bad CRC and
    /// no zero-filled tail was fully written, hence acknowledged, and then damaged. A length field damaged to claim
    /// more bytes than the file holds is recognised when the rest of the file passes the record's CRC.
    /// </summary>
    private static bool IsTornTail(byte[] bytes, int at, RecordCheck check)
    {
        if (ZeroFilledFrom(bytes, at + PushRecordCodec.HeaderBytes))
        {
            return true;
        }
        if (!check.Complete)
        {
            int payload = bytes.Length - at - PushRecordCodec.HeaderBytes;
            if (payload >= PushRecordCodec.MinPayloadBytes)
            {
                uint crc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 4));
                return Crc32.Compute(bytes.AsSpan(at + PushRecordCodec.HeaderBytes, payload)) != crc;
            }
            return true;
        }
        return ZeroSectorTail(bytes, at);
    }

    /// <summary>True when every byte from <paramref name="from"/> to the end is zero (or there are none).</summary>
    private static bool ZeroFilledFrom(byte[] bytes, int from) =>
        from >= bytes.Length || !bytes.AsSpan(from).ContainsAnyExcept((byte)0);

    /// <summary>True when the record's region ends with at least one whole zero sector (aligned in the file) up to EOF.</summary>
    private static bool ZeroSectorTail(byte[] bytes, int at)
    {
        int lastNonZero = bytes.AsSpan(at).LastIndexOfAnyExcept((byte)0);
        int zeroFrom = lastNonZero < 0 ? at : at + lastNonZero + 1;
        int alignedStart = (zeroFrom + SectorBytes - 1) / SectorBytes * SectorBytes;
        return bytes.Length - alignedStart >= SectorBytes;
    }

    /// <summary>The offset of the first record at or after <paramref name="from"/> whose length and CRC are valid.</summary>
    private static int? NextValidRecord(byte[] bytes, int from)
    {
        int last = bytes.Length - PushRecordCodec.HeaderBytes - PushRecordCodec.MinPayloadBytes;
        for (int p = from; p <= last; p++)
        {
            int size = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(p));
            if (size < PushRecordCodec.MinPayloadBytes || size > bytes.Length - p - PushRecordCodec.HeaderBytes)
            {
                continue;
            }
            if (!PushRecordCodec.LooksLikePayloadStart(bytes.AsSpan(p + PushRecordCodec.HeaderBytes)))
            {
                continue;
            }
            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(p + 4));
            if (Crc32.Compute(bytes.AsSpan(p + PushRecordCodec.HeaderBytes, size)) == crc)
            {
                return p;
            }
        }
        return null;
    }
}
