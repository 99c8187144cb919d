using Grpc.Core;
using Leap.Contracts.V1;

namespace Leap.Collectives.Ring;

/// <summary>The gRPC face of a rank: thin, everything goes to the <see cref="RingInbox"/>.</summary>
internal sealed class RingPeerService(RingInbox inbox) : RingPeer.RingPeerBase
{
    public override Task<RingPing> Ping(RingPing request, ServerCallContext context) => Task.FromResult(new RingPing());

    public override async Task<RingLinkClosed> Link(IAsyncStreamReader<RingFrame> requestStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await inbox.AcceptAsync(requestStream, context.CancellationToken).ConfigureAwait(false);
        return new RingLinkClosed();
    }
}
