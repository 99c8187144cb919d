using Grpc.Core;
using Grpc.Net.Client;
using Leap.Contracts.V1;
using Leap.Security;

namespace Leap.Collectives.Ring;

/// <summary>This rank's one stream to its successor, open for the whole job. Writes are serialized by the caller.</summary>
internal sealed class RingLink : IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);
    private readonly GrpcChannel _channel;
    private readonly AsyncClientStreamingCall<RingFrame, RingLinkClosed> _call;
    private readonly CancellationTokenSource _lifetime;

    private RingLink(RingNeighbour successor, GrpcChannel channel, AsyncClientStreamingCall<RingFrame, RingLinkClosed> call, CancellationTokenSource lifetime)
    {
        Successor = successor;
        _channel = channel;
        _call = call;
        _lifetime = lifetime;
    }

    public RingNeighbour Successor { get; }

    /// <summary>
    /// Waits (retrying) until the successor's server answers, then opens the stream. Every call carries
    /// <see cref="RingOptions.Token"/>; a refused token is a <see cref="RingAuthenticationException"/> at once.
    /// </summary>
    public static async Task<RingLink> OpenAsync(RingNeighbour successor, int rank, RingOptions options, CancellationToken cancellation)
    {
        var security = new ClientSecurity(options.Token);
        var channel = security.CreateChannel(successor.Address.HttpUri, GrpcMessageLimits.RingFrame(options.ChunkBytes), new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(Math.Min(5, options.ConnectTimeout.TotalSeconds)),
            KeepAlivePingDelay = options.KeepAliveInterval,
            KeepAlivePingTimeout = options.KeepAliveInterval,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            EnableMultipleHttp2Connections = false,
        });
        var lifetime = new CancellationTokenSource();
        try
        {
            var client = new RingPeer.RingPeerClient(security.CallInvoker(channel));
            await WaitUntilUpAsync(client, successor, rank, options.ConnectTimeout, cancellation).ConfigureAwait(false);
            var call = client.Link(cancellationToken: lifetime.Token);
            return new RingLink(successor, channel, call, lifetime);
        }
        catch
        {
            lifetime.Dispose();
            channel.Dispose();
            throw;
        }
    }

    /// <summary>Writes one frame; a broken stream is a <see cref="RingPeerException"/>, cancellation stays cancellation.</summary>
    public async Task WriteAsync(RingFrame frame, CancellationToken cancellation)
    {
        try
        {
            await _call.RequestStream.WriteAsync(frame, cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellation.IsCancellationRequested && e is RpcException or IOException or InvalidOperationException or HttpRequestException)
        {
            throw new RingPeerException(Successor.Rank, Successor.Address.ToString(), $"The link to {Successor} broke: {e.Message}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _call.RequestStream.CompleteAsync().WaitAsync(deadline.Token).ConfigureAwait(false);
            await _call.ResponseAsync.WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or IOException or InvalidOperationException or OperationCanceledException or TimeoutException)
        {
            // The successor is gone or going; nothing to tell it.
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);
        _call.Dispose();
        _channel.Dispose();
        _lifetime.Dispose();
    }

    private static async Task WaitUntilUpAsync(RingPeer.RingPeerClient client, RingNeighbour successor, int rank, TimeSpan timeout, CancellationToken cancellation)
    {
        var giveUp = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                var attempt = TimeSpan.FromSeconds(Math.Clamp((giveUp - DateTime.UtcNow).TotalSeconds, 0.1, 5));
                await client.PingAsync(new RingPing { SenderRank = rank }, deadline: DateTime.UtcNow + attempt, cancellationToken: cancellation).ConfigureAwait(false);
                return;
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
            {
                if (DateTime.UtcNow + RetryDelay >= giveUp)
                {
                    throw new RingPeerException(successor.Rank, successor.Address.ToString(),
                        $"Rank {rank} could not reach its successor {successor} within {timeout.TotalSeconds:0.###} s: {e.Status.Detail}", e);
                }

                await Task.Delay(RetryDelay, cancellation).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied)
            {
                string why = e.StatusCode == StatusCode.Unauthenticated
                    ? "it requires a shared token and this rank has none"
                    : "this rank's shared token is not its token";
                throw new RingAuthenticationException(successor.Rank, successor.Address.ToString(), e.StatusCode,
                    $"Rank {rank}: its successor {successor} refused the link: {why} ({e.StatusCode}).", e);
            }
        }
    }
}
