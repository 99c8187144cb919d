using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Leap.Data.RecordIo;

/// <summary>
/// Positional reads of whole records from a .rec file (RandomAccess, so concurrent reads from several threads are
/// safe). Only the record asked for is read. Every failure is an <see cref="InvalidDataException"/> naming the file
/// and the byte offset of the problem.
/// </summary>
internal sealed class RecordIoFile : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly int _maxRecordBytes;

    public RecordIoFile(string path, int maxRecordBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        _maxRecordBytes = maxRecordBytes;
        _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        Length = RandomAccess.GetLength(_handle);
    }

    public string Path { get; }
    public long Length { get; }

    public InvalidDataException Error(long offset, string problem) =>
        new($"RecordIO file '{Path}' is invalid at byte offset {offset}: {problem}");

    /// <summary>
    /// Reads the record starting at <paramref name="offset"/>, joining its parts. Returns the payload and the offset
    /// just past the record (after padding).
    /// </summary>
    public byte[] ReadRecord(long offset, long key, out long next)
    {
        if (offset >= Length)
        {
            throw Error(offset, $"record {key} starts at or past the end of the {Length}-byte file");
        }

        byte[]? joined = null;
        int size = 0;
        long position = offset;
        Span<byte> partHeader = stackalloc byte[RecordIoFormat.PartHeaderSize];
        for (int part = 0; ; part++)
        {
            if (position + RecordIoFormat.PartHeaderSize > Length)
            {
                throw Error(position,
                    $"file ends inside the header of record {key} (needed {RecordIoFormat.PartHeaderSize} bytes, " +
                    $"{Length - position} remain)");
            }

            ReadExactly(partHeader, position);
            uint magic = BinaryPrimitives.ReadUInt32LittleEndian(partHeader);
            if (magic != RecordIoFormat.Magic)
            {
                throw Error(position, $"magic 0x{magic:x8} is not 0x{RecordIoFormat.Magic:x8} (record {key})");
            }

            uint lrecord = BinaryPrimitives.ReadUInt32LittleEndian(partHeader[4..]);
            uint flag = RecordIoFormat.ContinuationFlag(lrecord);
            int length = (int)RecordIoFormat.Length(lrecord);
            CheckFlag(flag, part, position, key);
            long payloadStart = position + RecordIoFormat.PartHeaderSize;
            long padded = RecordIoFormat.Padded(length);
            if (payloadStart + padded > Length)
            {
                throw Error(payloadStart,
                    $"file ends inside record {key}: the part declares {length} bytes (+{padded - length} padding) " +
                    $"but only {Length - payloadStart} remain");
            }

            int separator = part == 0 ? 0 : 4;
            if ((long)size + separator + length > _maxRecordBytes)
            {
                throw Error(position, $"record {key} is larger than the {_maxRecordBytes}-byte limit");
            }

            if (flag == RecordIoFormat.WholeRecord)
            {
                var whole = new byte[length];
                ReadExactly(whole, payloadStart);
                next = payloadStart + padded;
                return whole;
            }

            joined ??= new byte[Math.Min(_maxRecordBytes, Math.Max(length * 2, 256))];
            EnsureCapacity(ref joined, size + separator + length);
            if (separator > 0)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(joined.AsSpan(size), RecordIoFormat.Magic);
                size += separator;
            }

            ReadExactly(joined.AsSpan(size, length), payloadStart);
            size += length;
            position = payloadStart + padded;
            if (flag == RecordIoFormat.LastPart)
            {
                next = position;
                return joined[..size];
            }
        }
    }

    /// <summary>
    /// Reads at most <paramref name="count"/> payload bytes of the record at <paramref name="offset"/> without reading
    /// the rest; null when the record is split into parts (the caller then reads it whole).
    /// </summary>
    public byte[]? ReadWholeRecordPrefix(long offset, long key, int count)
    {
        if (offset + RecordIoFormat.PartHeaderSize > Length)
        {
            throw Error(offset, $"file ends inside the header of record {key} (needed {RecordIoFormat.PartHeaderSize} bytes, " +
                $"{Math.Max(0, Length - offset)} remain)");
        }

        Span<byte> partHeader = stackalloc byte[RecordIoFormat.PartHeaderSize];
        ReadExactly(partHeader, offset);
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(partHeader);
        if (magic != RecordIoFormat.Magic)
        {
            throw Error(offset, $"magic 0x{magic:x8} is not 0x{RecordIoFormat.Magic:x8} (record {key})");
        }

        uint lrecord = BinaryPrimitives.ReadUInt32LittleEndian(partHeader[4..]);
        uint flag = RecordIoFormat.ContinuationFlag(lrecord);
        CheckFlag(flag, 0, offset, key);
        if (flag != RecordIoFormat.WholeRecord)
        {
            return null;
        }

        long payloadStart = offset + RecordIoFormat.PartHeaderSize;
        int length = (int)RecordIoFormat.Length(lrecord);
        if (payloadStart + RecordIoFormat.Padded(length) > Length)
        {
            throw Error(payloadStart,
                $"file ends inside record {key}: the part declares {length} bytes but only {Length - payloadStart} remain");
        }

        var prefix = new byte[Math.Min(count, length)];
        ReadExactly(prefix, payloadStart);
        return prefix;
    }

    private void CheckFlag(uint flag, int part, long position, long key)
    {
        bool valid = part == 0
            ? flag is RecordIoFormat.WholeRecord or RecordIoFormat.FirstPart
            : flag is RecordIoFormat.MiddlePart or RecordIoFormat.LastPart;
        if (!valid)
        {
            string expected = part == 0 ? "0 (whole) or 1 (first part)" : "2 (middle part) or 3 (last part)";
            throw Error(position, $"continuation flag {flag} of record {key} part {part} is not {expected}");
        }
    }

    private static void EnsureCapacity(ref byte[] buffer, int needed)
    {
        if (buffer.Length < needed)
        {
            Array.Resize(ref buffer, Math.Max(needed, buffer.Length * 2));
        }
    }

    private void ReadExactly(Span<byte> destination, long offset)
    {
        int filled = 0;
        while (filled < destination.Length)
        {
            int n = RandomAccess.Read(_handle, destination[filled..], offset + filled);
            if (n == 0)
            {
                throw Error(offset + filled, $"file ends early (needed {destination.Length - filled} more bytes)");
            }

            filled += n;
        }
    }

    public void Dispose() => _handle.Dispose();
}
