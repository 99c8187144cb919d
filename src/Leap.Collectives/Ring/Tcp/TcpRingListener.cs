using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Leap.Collectives.Ring.Tcp;

/// <summary>The socket a rank's predecessor connects to. Bound at start (so port 0 can be resolved first); accepts one authenticated link.</summary>
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

    /// <summary>At most this many accepted connections are challenged at once; further ones are closed unchallenged until one finishes.</summary>
    internal const int MaxPendingHandshakes = 32;

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for the predecessor's connection, then stops listening. Every connection
    /// must pass <see cref="TcpRingAuthentication"/> with <see cref="RingOptions.Token"/> within
    /// <see cref="RingOptions.HandshakeTimeout"/>. Connections are challenged concurrently while accepting goes on, so a
    /// silent, slow, stray or hostile client cannot take the predecessor's place nor delay it: one that fails or times
    /// out is closed (and logged, without any token) and the wait goes on.
    /// </summary>
    public async Task<Socket> AcceptPredecessorAsync(int rank, RingNeighbour predecessor, RingOptions options, TimeSpan timeout, ILogger logger,
        CancellationToken cancellation)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(timeout);
        var refusals = new Refusals();
        var handshakes = new List<Task<Socket?>>();
        var accepting = _socket.AcceptAsync(deadline.Token).AsTask();
        try
        {
            while (true)
            {
                var done = await Task.WhenAny(handshakes.Append<Task>(accepting)).ConfigureAwait(false);
                if (done == accepting)
                {
                    var accepted = await accepting.ConfigureAwait(false);
                    accepting = _socket.AcceptAsync(deadline.Token).AsTask();
                    if (handshakes.Count >= MaxPendingHandshakes)
                    {
                        refusals.Add(logger, rank, accepted, $"{MaxPendingHandshakes} other connections are still being challenged");
                        accepted.Dispose();
                        continue;
                    }
                    handshakes.Add(HandshakeAsync(accepted, rank, options, refusals, logger, deadline.Token));
                    continue;
                }

                handshakes.Remove((Task<Socket?>)done);
                var link = await ((Task<Socket?>)done).ConfigureAwait(false);
                if (link is not null)
                {
                    return link;
                }
            }
        }
        catch (OperationCanceledException e) when (!cancellation.IsCancellationRequested)
        {
            string refused = refusals.Count == 0 ? ""
                : $" It refused {refusals.Count} connection(s) (last: {refusals.Last}); are all ranks given the same token?";
            throw new RingPeerException(predecessor.Rank, predecessor.Address.ToString(),
                $"Rank {rank}: its predecessor {predecessor} did not connect within {timeout.TotalSeconds:0.###} s.{refused}", e);
        }
        finally
        {
            await deadline.CancelAsync().ConfigureAwait(false);
            _socket.Dispose();
            _ = accepting.ContinueWith(static t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            _ = accepting.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            foreach (var link in await Task.WhenAll(handshakes).ConfigureAwait(false))
            {
                link?.Dispose(); // authenticated just as another one won, or as the wait ended
            }
        }
    }

    /// <summary>Challenges one connection; returns it when it proved the token, else closes it and returns null (never throws).</summary>
    private static async Task<Socket?> HandshakeAsync(Socket accepted, int rank, RingOptions options, Refusals refusals, ILogger logger,
        CancellationToken stop)
    {
        string refusal;
        try
        {
            TcpRingSockets.Configure(accepted, options);
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stop);
            attempt.CancelAfter(options.HandshakeTimeout);
            var verdict = await TcpRingAuthentication.ChallengeAsync(accepted, options.Token, attempt.Token).ConfigureAwait(false);
            if (verdict == TcpRingVerdict.Accepted)
            {
                return accepted;
            }
            refusal = verdict == TcpRingVerdict.Unauthenticated ? "no token" : "wrong token";
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            refusal = $"no answer to the token challenge within {options.HandshakeTimeout.TotalSeconds:0.###} s";
        }
        catch (Exception e) when (!stop.IsCancellationRequested && e is IOException or SocketException)
        {
            refusal = $"no valid answer to the token challenge ({e.GetType().Name})";
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            accepted.Dispose(); // the wait is over
            return null;
        }

        refusals.Add(logger, rank, accepted, refusal);
        accepted.Dispose();
        return null;
    }

    /// <summary>The connections refused so far (handshakes run concurrently), for the error when the predecessor never comes.</summary>
    private sealed class Refusals
    {
        private int _count;
        private string? _last;

        public int Count => Volatile.Read(ref _count);

        public string? Last => Volatile.Read(ref _last);

        public void Add(ILogger logger, int rank, Socket connection, string reason)
        {
            string remote = RemoteOf(connection);
            RingLog.LinkRefused(logger, rank, remote, reason);
            Volatile.Write(ref _last, $"{remote}: {reason}");
            Interlocked.Increment(ref _count);
        }

        private static string RemoteOf(Socket connection)
        {
            try
            {
                return connection.RemoteEndPoint?.ToString() ?? "?";
            }
            catch (SocketException)
            {
                return "?";
            }
        }
    }

    public void Dispose() => _socket.Dispose();

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
