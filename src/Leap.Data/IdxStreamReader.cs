using System.Buffers.Binary;
using System.IO.Compression;

namespace Leap.Data;

/// <summary>
/// Reads the big-endian IDX layout from a raw or gzip-compressed file while counting the (decompressed) byte
/// offset, so every failure can say which file broke and where.
/// </summary>
internal sealed class IdxStreamReader : IDisposable
{
    private static readonly byte[] GzipSignature = [0x1f, 0x8b];

    private readonly Stream _file;
    private readonly Stream _data;

    private IdxStreamReader(string path, Stream file, Stream data)
    {
        Path = path;
        _file = file;
        _data = data;
    }

    public string Path { get; }

    /// <summary>Offset, in the decompressed IDX byte stream, of the next byte to be read.</summary>
    public long Offset { get; private set; }

    /// <summary>Opens <paramref name="path"/>; gzip is recognised by its signature, not by the file extension.</summary>
    public static IdxStreamReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            Span<byte> signature = stackalloc byte[2];
            int read = file.ReadAtLeast(signature, 2, throwOnEndOfStream: false);
            file.Position = 0;
            bool isGzip = read == 2 && signature.SequenceEqual(GzipSignature);
            Stream data = isGzip ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true) : file;
            return new IdxStreamReader(path, file, data);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public InvalidDataException Error(string problem, long offset) =>
        new($"IDX file '{Path}' is invalid at byte offset {offset}: {problem}");

    /// <summary>Reads the 4-byte magic number and checks it equals <paramref name="expected"/>.</summary>
    public void ReadMagic(uint expected, string kind)
    {
        long at = Offset;
        uint magic = ReadUInt32("magic number");
        if (magic != expected)
        {
            throw Error($"magic number 0x{magic:X8} is not 0x{expected:X8} ({kind})", at);
        }
    }

    /// <summary>Reads one big-endian dimension size and checks it lies in [minimum, int.MaxValue].</summary>
    public int ReadDimension(string name, int minimum)
    {
        long at = Offset;
        uint value = ReadUInt32(name);
        if (value > int.MaxValue || value < minimum)
        {
            throw Error($"{name} {value} is outside [{minimum}, {int.MaxValue}]", at);
        }

        return (int)value;
    }

    /// <summary>
    /// For an uncompressed file, fails before any large allocation when fewer than <paramref name="bytes"/> bytes
    /// remain; a gzip stream's length is unknown until read, so this is a no-op there.
    /// </summary>
    public void EnsureAvailable(long bytes, string what)
    {
        if (!ReferenceEquals(_data, _file))
        {
            return;
        }

        long remaining = _file.Length - Offset;
        if (remaining < bytes)
        {
            throw Error(
                $"file ends while reading {what} (needed {bytes} bytes from offset {Offset}, got {remaining})",
                _file.Length);
        }
    }

    /// <summary>Reads exactly <paramref name="buffer"/>.Length payload bytes, then checks that nothing follows.</summary>
    public void ReadPayload(Span<byte> buffer, string what)
    {
        ReadExactly(buffer, what);
        Span<byte> probe = stackalloc byte[1];
        if (ReadSome(probe, what) != 0)
        {
            throw Error($"unexpected data after the {buffer.Length} bytes of {what}", Offset - 1);
        }
    }

    private uint ReadUInt32(string what)
    {
        Span<byte> bytes = stackalloc byte[4];
        ReadExactly(bytes, what);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    private void ReadExactly(Span<byte> buffer, string what)
    {
        long start = Offset;
        int filled = 0;
        while (filled < buffer.Length)
        {
            int n = ReadSome(buffer[filled..], what);
            if (n == 0)
            {
                throw Error(
                    $"file ends while reading {what} (needed {buffer.Length} bytes from offset {start}, got {filled})",
                    Offset);
            }

            filled += n;
        }
    }

    private int ReadSome(Span<byte> buffer, string what)
    {
        int n;
        try
        {
            n = _data.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException(
                $"IDX file '{Path}' is invalid at byte offset {Offset}: corrupt gzip data while reading {what} ({e.Message})",
                e);
        }

        Offset += n;
        return n;
    }

    public void Dispose()
    {
        if (!ReferenceEquals(_data, _file))
        {
            _data.Dispose();
        }

        _file.Dispose();
    }
}
