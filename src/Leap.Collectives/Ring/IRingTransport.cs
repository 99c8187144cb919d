namespace Leap.Collectives.Ring;

/// <summary>
/// The two links of one rank: frames out to the successor, frames in from the predecessor, in order. The ring
/// algorithm (<see cref="RingExchange"/>) is written against this, so every transport runs the same plans with the
/// same tags, checks and deadlines. Sends are called by one caller at a time, receives by one caller at a time.
/// Broken links surface as <see cref="RingPeerException"/> naming the peer; cancellation as
/// <see cref="OperationCanceledException"/> (the caller turns a missed deadline into a timeout).
/// </summary>
internal interface IRingTransport : IAsyncDisposable
{
    RingNeighbour Successor { get; }

    RingNeighbour Predecessor { get; }

    /// <summary>Sends one frame; <paramref name="payload"/> may be read until the returned task completes, not after.</summary>
    ValueTask SendAsync(RingFrameHeader header, ReadOnlyMemory<byte> payload, CancellationToken cancellation);

    /// <summary>
    /// The next frame from the predecessor. A data payload of exactly <paramref name="landing"/>'s length may be read
    /// straight into it (a copy step: no intermediate buffer); the returned payload says where it landed.
    /// </summary>
    ValueTask<RingReceivedFrame> ReceiveAsync(Memory<byte> landing, CancellationToken cancellation);
}
