using System.Buffers.Binary;
using System.Text;

namespace Leap.Collectives.Ring.Tcp;

/// <summary>
/// The wire format of a ring frame on a raw TCP link, all little-endian:
/// <code>
///  0 magic "LEAP" (u32)   4 kind (u8), 3 reserved   8 sender rank   12 world size   16 step   20 chunk (i32 each)
/// 24 sequence (i64)      32 signature bytes   36 abort-reason bytes   40 payload bytes (i32 each)
/// 44 signature (UTF-8), abort reason (UTF-8), payload (the tensor chunk's raw elements)
/// </code>
/// </summary>
internal static class TcpFrameCodec
{
    public const int FixedBytes = 44;

    /// <summary>Longest signature or abort reason accepted (a garbled length fails the link instead of allocating it).</summary>
    public const int MaxTextBytes = 1 << 20;

    private const uint Magic = 0x5041454C; // "LEAP"

    /// <summary>Bytes of the header part (fixed fields + texts) of <paramref name="header"/>.</summary>
    public static int HeadBytes(in RingFrameHeader header) =>
        FixedBytes + Encoding.UTF8.GetByteCount(header.Signature) + Encoding.UTF8.GetByteCount(header.AbortReason);

    /// <summary>Writes the fixed fields and texts into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int WriteHead(Span<byte> destination, in RingFrameHeader header, int payloadBytes)
    {
        var signatureBytes = Encoding.UTF8.GetBytes(header.Signature, destination[FixedBytes..]);
        var reasonBytes = Encoding.UTF8.GetBytes(header.AbortReason, destination[(FixedBytes + signatureBytes)..]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Magic);
        destination[4] = (byte)header.Kind;
        destination[5] = destination[6] = destination[7] = 0;
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], header.SenderRank);
        BinaryPrimitives.WriteInt32LittleEndian(destination[12..], header.WorldSize);
        BinaryPrimitives.WriteInt32LittleEndian(destination[16..], header.Step);
        BinaryPrimitives.WriteInt32LittleEndian(destination[20..], header.Chunk);
        BinaryPrimitives.WriteInt64LittleEndian(destination[24..], header.Sequence);
        BinaryPrimitives.WriteInt32LittleEndian(destination[32..], signatureBytes);
        BinaryPrimitives.WriteInt32LittleEndian(destination[36..], reasonBytes);
        BinaryPrimitives.WriteInt32LittleEndian(destination[40..], payloadBytes);
        return FixedBytes + signatureBytes + reasonBytes;
    }

    /// <summary>The fixed fields; null when the bytes are not a frame (wrong magic, kind or lengths).</summary>
    public static TcpFrameFixedPart? ReadFixed(ReadOnlySpan<byte> source)
    {
        var kind = source[4];
        var part = new TcpFrameFixedPart(
            (RingFrameKind)kind,
            BinaryPrimitives.ReadInt32LittleEndian(source[8..]),
            BinaryPrimitives.ReadInt32LittleEndian(source[12..]),
            BinaryPrimitives.ReadInt32LittleEndian(source[16..]),
            BinaryPrimitives.ReadInt32LittleEndian(source[20..]),
            BinaryPrimitives.ReadInt64LittleEndian(source[24..]),
            BinaryPrimitives.ReadInt32LittleEndian(source[32..]),
            BinaryPrimitives.ReadInt32LittleEndian(source[36..]),
            BinaryPrimitives.ReadInt32LittleEndian(source[40..]));
        var valid = BinaryPrimitives.ReadUInt32LittleEndian(source) == Magic
                    && Enum.IsDefined(part.Kind)
                    && part.SignatureBytes is >= 0 and <= MaxTextBytes
                    && part.ReasonBytes is >= 0 and <= MaxTextBytes
                    && part.PayloadBytes >= 0;
        return valid ? part : null;
    }
}

/// <summary>The fixed 44 bytes of a TCP ring frame, decoded.</summary>
internal readonly record struct TcpFrameFixedPart(
    RingFrameKind Kind, int SenderRank, int WorldSize, int Step, int Chunk, long Sequence, int SignatureBytes, int ReasonBytes, int PayloadBytes);
