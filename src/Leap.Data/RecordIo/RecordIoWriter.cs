using System.Buffers.Binary;
using System.Text;

namespace Leap.Data.RecordIo;

/// <summary>
/// Writes an indexed RecordIO pair (.rec + .idx) that MXNet's MXIndexedRecordIO and <see cref="RecordIoReader"/> read.
/// Records are appended in call order; a payload holding the magic word at a 4-aligned position is split into parts
/// exactly as dmlc's RecordIOWriter does. Dispose flushes both files.
/// </summary>
public sealed class RecordIoWriter : IDisposable
{
    private readonly FileStream _rec;
    private readonly StreamWriter _idx;
    private readonly HashSet<long> _keys = [];

    private RecordIoWriter(string recPath, FileStream rec, StreamWriter idx)
    {
        RecPath = recPath;
        _rec = rec;
        _idx = idx;
    }

    public string RecPath { get; }

    /// <summary>Bytes written to the .rec so far: the offset the next record will get.</summary>
    public long Position => _rec.Position;

    public int RecordCount => _keys.Count;

    /// <summary>Creates (or overwrites) <paramref name="recPath"/> and its index (default: same name, .idx).</summary>
    public static RecordIoWriter Create(string recPath, string? idxPath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(recPath);
        var rec = new FileStream(recPath, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        try
        {
            var idx = new StreamWriter(idxPath ?? Path.ChangeExtension(recPath, ".idx"), append: false, new UTF8Encoding(false));
            return new RecordIoWriter(recPath, rec, idx);
        }
        catch
        {
            rec.Dispose();
            throw;
        }
    }

    /// <summary>Appends one record: <paramref name="header"/> then <paramref name="image"/>, indexed under <paramref name="key"/>.</summary>
    public void Write(long key, ImageRecordHeader header, ReadOnlySpan<byte> image)
    {
        ArgumentNullException.ThrowIfNull(header);
        long size = (long)header.EncodedSize + image.Length;
        if (size > RecordIoFormat.LengthMask)
        {
            throw new ArgumentException($"A record of {size} bytes exceeds the RecordIO limit of {RecordIoFormat.LengthMask}.", nameof(image));
        }

        if (!_keys.Add(key))
        {
            throw new ArgumentException($"Key {key} was already written.", nameof(key));
        }

        var payload = new byte[size];
        header.Write(payload);
        image.CopyTo(payload.AsSpan(header.EncodedSize));
        _idx.Write(RecordIoIndex.FormatLine(key, _rec.Position));
        WriteParts(payload);
    }

    private void WriteParts(ReadOnlySpan<byte> payload)
    {
        int start = 0;
        int aligned = payload.Length & ~3;
        for (int i = 0; i < aligned; i += 4)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(payload[i..]) != RecordIoFormat.Magic)
            {
                continue;
            }

            WritePart(start == 0 ? RecordIoFormat.FirstPart : RecordIoFormat.MiddlePart, payload[start..i]);
            start = i + 4;
        }

        WritePart(start == 0 ? RecordIoFormat.WholeRecord : RecordIoFormat.LastPart, payload[start..]);
    }

    private void WritePart(uint flag, ReadOnlySpan<byte> part)
    {
        Span<byte> header = stackalloc byte[RecordIoFormat.PartHeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header, RecordIoFormat.Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], RecordIoFormat.EncodeLRecord(flag, (uint)part.Length));
        _rec.Write(header);
        _rec.Write(part);
        Span<byte> zeros = stackalloc byte[3];
        zeros.Clear();
        _rec.Write(zeros[..(int)(RecordIoFormat.Padded(part.Length) - part.Length)]);
    }

    public void Dispose()
    {
        _idx.Dispose();
        _rec.Dispose();
    }
}
