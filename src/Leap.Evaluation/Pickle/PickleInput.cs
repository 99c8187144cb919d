using System.Buffers.Binary;

namespace Leap.Evaluation.Pickle;

/// <summary>
/// The bytes of a pickle, read forward, with the offset of the next byte so that every error names the source and
/// where it happened. A length field larger than what is left of a seekable stream is reported as truncation before
/// anything is allocated.
/// </summary>
internal sealed class PickleInput(Stream stream, string sourceName)
{
    private readonly long _length = stream.CanSeek ? stream.Length - stream.Position : -1;
    private readonly byte[] _scratch = new byte[8];

    public string SourceName { get; } = sourceName;

    /// <summary>Bytes read so far: the offset, from the start of the pickle, of the next byte.</summary>
    public long Offset { get; private set; }

    /// <summary>Bytes left in a seekable source; null when the source cannot tell.</summary>
    public long? Remaining => _length >= 0 ? _length - Offset : null;

    public bool TryReadByte(out byte value)
    {
        int read = stream.ReadByte();
        value = (byte)read;
        if (read < 0)
        {
            return false;
        }

        Offset++;
        return true;
    }

    public byte ReadByte(PickleOpcodeAt what) => Fill(1, what)[0];

    public ushort ReadUInt16(PickleOpcodeAt what) => BinaryPrimitives.ReadUInt16LittleEndian(Fill(2, what));

    public int ReadInt32(PickleOpcodeAt what) => BinaryPrimitives.ReadInt32LittleEndian(Fill(4, what));

    public uint ReadUInt32(PickleOpcodeAt what) => BinaryPrimitives.ReadUInt32LittleEndian(Fill(4, what));

    public ulong ReadUInt64(PickleOpcodeAt what) => BinaryPrimitives.ReadUInt64LittleEndian(Fill(8, what));

    /// <summary>Reads <paramref name="count"/> bytes, refusing counts past the end of a seekable source before allocating.</summary>
    public byte[] ReadBytes(ulong count, PickleOpcodeAt what)
    {
        long start = Offset;
        if (_length >= 0 && count > (ulong)(_length - start))
        {
            throw Truncated(start, what, count, _length - start);
        }

        if (count > (ulong)Array.MaxLength)
        {
            throw new InvalidDataException($"{SourceName}: {what} announces {count} bytes, more than one .NET array holds.");
        }

        var bytes = new byte[(int)count];
        int read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        Offset += read;
        return read == bytes.Length ? bytes : throw Truncated(start, what, count, read);
    }

    /// <summary>The bytes up to the next newline (dropped), at most <paramref name="maxLength"/> of them.</summary>
    public byte[] ReadLine(int maxLength, PickleOpcodeAt what)
    {
        long start = Offset;
        var line = new List<byte>();
        while (true)
        {
            if (!TryReadByte(out byte b))
            {
                throw new InvalidDataException($"{SourceName}: truncated at byte offset {Offset}: {what} has no end of line after byte offset {start}.");
            }

            if (b == (byte)'\n')
            {
                return [.. line];
            }

            if (line.Count == maxLength)
            {
                throw new InvalidDataException($"{SourceName}: {what} holds a line longer than {maxLength} bytes from byte offset {start}.");
            }

            line.Add(b);
        }
    }

    /// <summary>The source ended (or would end) inside the <paramref name="needed"/> bytes of <paramref name="what"/> from <paramref name="start"/>.</summary>
    public InvalidDataException Truncated(long start, PickleOpcodeAt what, ulong needed, long available) =>
        new($"{SourceName}: truncated at byte offset {start + available}: {what} needs {needed} bytes from byte offset {start}, only {available} remain.");

    private byte[] Fill(int count, PickleOpcodeAt what)
    {
        long start = Offset;
        int read = stream.ReadAtLeast(_scratch.AsSpan(0, count), count, throwOnEndOfStream: false);
        Offset += read;
        return read == count ? _scratch : throw Truncated(start, what, (ulong)count, read);
    }
}
