namespace Leap.Security;

/// <summary>
/// Largest gRPC messages, set on both the servers and the channels (so an oversized message fails with
/// RESOURCE_EXHAUSTED at the sender instead of costing the receiver its memory).
/// </summary>
public static class GrpcMessageLimits
{
    /// <summary>Coordinator calls are small (ids, ranks, peer addresses, checkpoint paths): 4 MiB, gRPC's usual receive limit.</summary>
    public const int Coordinator = 4 << 20;

    /// <summary>
    /// Centre service: a push of N x D float32 features is 4 N D bytes (N = 65536 rows of D = 512 is 128 MiB), and
    /// GetCentres of every class is 8 C D bytes; 256 MiB both ways (CentreService:MaxReceiveMessageBytes on the server).
    /// </summary>
    public const int CentreService = 256 << 20;

    /// <summary>Headroom of a ring frame over its payload (sender, sequence, signature, abort reason).</summary>
    public const int RingFrameOverhead = 64 << 10;

    /// <summary>A ring frame carries at most one chunk (Ring:ChunkBytes) plus its header.</summary>
    public static int RingFrame(int chunkBytes) => chunkBytes + RingFrameOverhead;
}
