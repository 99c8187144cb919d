namespace Leap.Data.RecordIo;

/// <summary>One record of a .rec file: its index key, where it starts, its header and the image bytes after it.</summary>
/// <param name="Key">The key of the record in the .idx file.</param>
/// <param name="Offset">Byte offset of the record's first part header in the .rec file.</param>
/// <param name="Header">The IRHeader (labels, ids).</param>
/// <param name="Image">The bytes after the header and its label array (JPEG/PNG/PGM; empty for InsightFace meta records).</param>
public sealed record ImageRecord(long Key, long Offset, ImageRecordHeader Header, byte[] Image);
