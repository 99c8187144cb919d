namespace Leap.Collectives.Ring;

/// <summary>What a ring frame is, independent of the transport that carries it.</summary>
internal enum RingFrameKind
{
    /// <summary>First frame on a link: who is sending and how large the sender believes the ring is.</summary>
    Hello = 1,

    /// <summary>A chunk of a collective.</summary>
    Data = 2,

    /// <summary>The sender failed; the receiver fails too and forwards the reason.</summary>
    Abort = 3,
}

/// <summary>
/// Everything a frame says besides its payload: (sequence, step, chunk, signature) tag a data frame so the receiver can
/// check it is the one it expects; <see cref="WorldSize"/> is set on hellos, <see cref="AbortReason"/> on aborts.
/// </summary>
internal readonly record struct RingFrameHeader(
    RingFrameKind Kind,
    int SenderRank,
    long Sequence = 0,
    int Step = 0,
    int Chunk = 0,
    string Signature = "",
    int WorldSize = 0,
    string AbortReason = "");

/// <summary>A received frame. <see cref="Payload"/> belongs to the transport and is valid only until its next receive.</summary>
internal readonly record struct RingReceivedFrame(RingFrameHeader Header, ReadOnlyMemory<byte> Payload);
