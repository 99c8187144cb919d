using System.Buffers.Binary;
using System.Text;

namespace Leap.CentreService.Persistence;

/// <summary>
/// A versioned binary file: [8-byte magic][int32 format version][body][uint32 CRC-32 of the body]. Written atomically:
/// a temporary file in the same directory is written, fsynced and renamed over the old one, so a crash leaves
/// either the old or the new file, never a mix.
/// </summary>
internal static class ChecksummedFile
{
    public static void Write(string path, ReadOnlySpan<byte> magic, int version, Action<BinaryWriter> body)
    {
        string temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                file.Write(magic);
                Span<byte> version4 = stackalloc byte[4];
                BinaryPrimitives.WriteInt32LittleEndian(version4, version);
                file.Write(version4);
                using (var crc = new CrcStream(file))
                using (var writer = new BinaryWriter(crc, Encoding.UTF8, leaveOpen: true))
                {
                    body(writer);
                    writer.Flush();
                    BinaryPrimitives.WriteUInt32LittleEndian(version4, crc.Crc);
                }
                file.Write(version4);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Reads and checks the whole file; returns a reader over the body and the format version.</summary>
    public static (BinaryReader Body, int Version) Read(string path, ReadOnlySpan<byte> magic, int maxVersion)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < magic.Length + 8 || !bytes.AsSpan(0, magic.Length).SequenceEqual(magic))
        {
            throw new InvalidDataException($"{path} is not a {Encoding.ASCII.GetString(magic)} file (bad magic or too short).");
        }
        int version = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(magic.Length));
        if (version < 1 || version > maxVersion)
        {
            throw new InvalidDataException($"{path} has format version {version}; this build reads versions 1 to {maxVersion}.");
        }
        int start = magic.Length + 4;
        var body = bytes.AsMemory(start, bytes.Length - start - 4);
        uint expected = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4));
        if (Crc32.Compute(body.Span) != expected)
        {
            throw new InvalidDataException($"{path} fails its CRC check (the file is corrupt).");
        }
        return (new BinaryReader(new MemoryStream(bytes, start, body.Length, writable: false), Encoding.UTF8), version);
    }

    /// <summary>Passes writes through while computing their CRC-32.</summary>
    private sealed class CrcStream(Stream inner) : Stream
    {
        private uint _state = 0xFFFFFFFFu;

        public uint Crc => ~_state;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _state = Crc32.Append(_state, buffer);
            inner.Write(buffer);
        }
    }
}
