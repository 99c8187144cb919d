using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Leap.Collectives.Ring.Tcp;

/// <summary>The socket a rank's predecessor connects to. Bound at start (so port 0 can be resolved first); accepts one link.</summary>
internal sealed class TcpRingListener : IDisposable, IAsyncDisposable
{
    private readonly Socket _socket;

    private TcpRingListener(Socket socket)
    {
        _socket = socket;
        Port = ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>The bound port (the real one when started on port 0).</summary>
    public int Port { get; }

    /// <summary>Listens on <paramref name="listen"/>: an IP literal binds that address, "localhost" the IPv4 loopback, any other host name all interfaces.</summary>
    public static TcpRingListener Start(RingAddress listen)
    {
        var ip = IPAddress.TryParse(listen.Host, out var literal) ? literal
            : string.Equals(listen.Host, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : IPAddress.IPv6Any;
        var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (ip.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(new IPEndPoint(ip, listen.Port));
            socket.Listen(4);
            return new TcpRingListener(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for the predecessor's connection, then stops listening. Every connection
    /// must pass <see cref="TcpRingAuthentication"/> with <see cref="RingOptions.Token"/>; one that does not is closed
    /// (and logged, without any token) and the wait goes on, so a stray or hostile client cannot take the predecessor's place.
    /// </summary>
    public async Task<Socket> AcceptPredecessorAsync(int rank, RingNeighbour predecessor, RingOptions options, TimeSpan timeout, ILogger logger,
        CancellationToken cancellation)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(timeout);
        string? lastRefusal = null;
        try
        {
            while (true)
            {
                var accepted = await _socket.AcceptAsync(deadline.Token).ConfigureAwait(false);
                string remote = accepted.RemoteEndPoint?.ToString() ?? "?";
                string? refusal;
                try
                {
                    TcpRingSockets.Configure(accepted, options);
                    using var attempt = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                    attempt.CancelAfter(AuthenticationTimeout);
                    var verdict = await TcpRingAuthentication.ChallengeAsync(accepted, options.Token, attempt.Token).ConfigureAwait(false);
                    if (verdict == TcpRingVerdict.Accepted)
                    {
                        return accepted;
                    }
                    refusal = verdict == TcpRingVerdict.Unauthenticated ? "no token" : "wrong token";
                }
                catch (Exception e) when (!cancellation.IsCancellationRequested && e is IOException or SocketException or OperationCanceledException)
                {
                    refusal = $"no valid answer to the token challenge ({e.GetType().Name})";
                }
                lastRefusal = $"{remote}: {refusal}";
                RingLog.LinkRefused(logger, rank, remote, refusal);
                accepted.Dispose();
            }
        }
        catch (OperationCanceledException e) when (!cancellation.IsCancellationRequested)
        {
            string refused = lastRefusal is null ? "" : $" It refused a connection ({lastRefusal}); are all ranks given the same token?";
            throw new RingPeerException(predecessor.Rank, predecessor.Address.ToString(),
                $"Rank {rank}: its predecessor {predecessor} did not connect within {timeout.TotalSeconds:0.###} s.{refused}", e);
        }
        finally
        {
            _socket.Dispose();
        }
    }

    /// <summary>How long one connection may take to answer the token challenge.</summary>
    internal static TimeSpan AuthenticationTimeout { get; } = TimeSpan.FromSeconds(10);

    public void Dispose() => _socket.Dispose();

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
