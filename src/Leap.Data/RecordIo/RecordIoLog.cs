using Microsoft.Extensions.Logging;

namespace Leap.Data.RecordIo;

internal static partial class RecordIoLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning,
        Message = "Skipping corrupt record {Key} of '{Path}' ({SkippedCount} skipped so far): {Reason}")]
    public static partial void SkippedRecord(ILogger logger, long key, string path, int skippedCount, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information,
        Message = "Packed {ImageCount} images of {ClassCount} identities into '{RecPath}' ({Bytes} bytes)")]
    public static partial void Packed(ILogger logger, int imageCount, int classCount, string recPath, long bytes);
}
