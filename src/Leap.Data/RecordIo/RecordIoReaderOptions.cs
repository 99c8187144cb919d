namespace Leap.Data.RecordIo;

/// <summary>Settings of a <see cref="RecordIoReader"/>.</summary>
public sealed class RecordIoReaderOptions
{
    /// <summary>Default upper bound on one record's size: far above any face crop, far below memory.</summary>
    public const int DefaultMaxRecordBytes = 64 << 20;

    /// <summary>What <see cref="RecordIoReader.TryRead"/> and <see cref="RecordIoReader.ReadAll"/> do with a corrupt record.</summary>
    public CorruptDataPolicy OnCorruptRecord { get; init; } = CorruptDataPolicy.Throw;

    /// <summary>
    /// A record whose declared length exceeds this is treated as corrupt, so a damaged length word never causes a
    /// huge allocation. Must lie in [1, 2^29 - 1].
    /// </summary>
    public int MaxRecordBytes { get; init; } = DefaultMaxRecordBytes;

    internal void Validate()
    {
        if (!Enum.IsDefined(OnCorruptRecord))
        {
            throw new ArgumentOutOfRangeException(nameof(OnCorruptRecord), OnCorruptRecord, "Unknown corrupt-record policy.");
        }

        if (MaxRecordBytes < 1 || MaxRecordBytes > (int)RecordIoFormat.LengthMask)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxRecordBytes), MaxRecordBytes, $"Must lie in [1, {RecordIoFormat.LengthMask}].");
        }
    }
}
