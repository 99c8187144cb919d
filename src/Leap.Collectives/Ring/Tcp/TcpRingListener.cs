using System.Net;
using System.Net.Sockets;

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

    /// <summary>Waits up to <paramref name="timeout"/> for the predecessor's connection, then stops listening.</summary>
    public async Task<Socket> AcceptPredecessorAsync(int rank, RingNeighbour predecessor, RingOptions options, TimeSpan timeout, CancellationToken cancellation)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(timeout);
        try
        {
            var accepted = await _socket.AcceptAsync(deadline.Token).ConfigureAwait(false);
            TcpRingSockets.Configure(accepted, options);
            return accepted;
        }
        catch (OperationCanceledException e) when (!cancellation.IsCancellationRequested)
        {
            throw new RingPeerException(predecessor.Rank, predecessor.Address.ToString(),
                $"Rank {rank}: its predecessor {predecessor} did not connect within {timeout.TotalSeconds:0.###} s.", e);
        }
        finally
        {
            _socket.Dispose();
        }
    }

    public void Dispose() => _socket.Dispose();

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
