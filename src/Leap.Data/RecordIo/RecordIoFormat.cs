namespace Leap.Data.RecordIo;

/// <summary>
/// Constants of the dmlc/MXNet RecordIO container: every part is uint32 magic, uint32 lrecord (upper 3 bits the
/// continuation flag, lower 29 bits the length), then the payload padded with zeros to a multiple of 4 bytes. All
/// integers little-endian. A payload that holds the magic word at a 4-aligned position is split there into parts
/// (flag 1 = first, 2 = middle, 3 = last; 0 = whole record) and the reader puts the magic back between them.
/// </summary>
internal static class RecordIoFormat
{
    public const uint Magic = 0xced7230a;
    public const int PartHeaderSize = 8;
    public const int LengthBits = 29;
    public const uint LengthMask = (1u << LengthBits) - 1;

    public const uint WholeRecord = 0;
    public const uint FirstPart = 1;
    public const uint MiddlePart = 2;
    public const uint LastPart = 3;

    public static uint EncodeLRecord(uint continuationFlag, uint length) => (continuationFlag << LengthBits) | length;

    public static uint ContinuationFlag(uint lrecord) => lrecord >> LengthBits;

    public static uint Length(uint lrecord) => lrecord & LengthMask;

    public static long Padded(long length) => (length + 3) & ~3L;
}
