using Microsoft.Extensions.Logging;

namespace Leap.CentreService;

public sealed partial class CentreStore
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information,
        Message = "Centre store initialised: {Classes} classes, D = {Dimension}, {Settings}, state in {StateDirectory}")]
    private partial void LogInitialised(int classes, int dimension, string settings, string stateDirectory);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information,
        Message = "Centre store recovered from {StateDirectory}: snapshot with {SnapshotPushes} pushes, {Records} log records replayed from {Segments} segments in {ElapsedMs:F0} ms")]
    private partial void LogRecovered(string stateDirectory, long snapshotPushes, int records, int segments, double elapsedMs);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning,
        Message = "Push log {Path}: dropped a torn tail after {Records} valid records ({Reason}; {DroppedBytes} bytes cut). The dropped push was never acknowledged")]
    private partial void LogTornTailDropped(string path, string reason, int records, long droppedBytes);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information,
        Message = "Snapshot {Path} written at {Pushes} pushes in {ElapsedMs:F0} ms; the log continues in segment {NextSegment}")]
    private partial void LogSnapshotWritten(string path, long pushes, long nextSegment, double elapsedMs);

    [LoggerMessage(EventId = 304, Level = LogLevel.Warning,
        Message = "Push log in {StateDirectory}: {Duplicates} duplicated records were skipped (each push is applied once)")]
    private partial void LogDuplicateRecordsSkipped(string stateDirectory, int duplicates);
}
