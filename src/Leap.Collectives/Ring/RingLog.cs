using Microsoft.Extensions.Logging;

namespace Leap.Collectives.Ring;

internal static partial class RingLog
{
    [LoggerMessage(1, LogLevel.Information, "Ring formed over {Transport}: rank {Rank} of {WorldSize}, listening on port {Port}, successor {Successor}, predecessor {Predecessor}, chunk {ChunkBytes} bytes")]
    public static partial void RingFormed(ILogger logger, int rank, int worldSize, string transport, int port, string successor, string predecessor, int chunkBytes);

    [LoggerMessage(2, LogLevel.Error, "Rank {Rank}: collective #{Sequence} {Signature} failed; the ring is unusable from now on")]
    public static partial void CollectiveFailed(ILogger logger, Exception error, int rank, long sequence, string signature);

    [LoggerMessage(3, LogLevel.Debug, "Rank {Rank}: could not tell successor {Successor} about the failure ({Reason})")]
    public static partial void AbortNotDelivered(ILogger logger, int rank, string successor, string reason);

    [LoggerMessage(4, LogLevel.Warning, "Rank {Rank}: refused a ring link from {Remote}: {Reason}")]
    public static partial void LinkRefused(ILogger logger, int rank, string remote, string reason);
}
