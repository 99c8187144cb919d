using System.Net.Sockets;
using Grpc.Core;

namespace Leap.Collectives.Ring.Tcp;

/// <summary>Opening this rank's connection to its successor, and the socket options of both links.</summary>
internal static class TcpRingSockets
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Connects to the successor, retrying (it may start later) until <see cref="RingOptions.ConnectTimeout"/>, and
    /// proves <see cref="RingOptions.Token"/>; a refused token is a <see cref="RingAuthenticationException"/> at once.
    /// </summary>
    public static async Task<Socket> DialSuccessorAsync(int rank, RingNeighbour successor, RingOptions options, CancellationToken cancellation)
    {
        var giveUp = DateTime.UtcNow + options.ConnectTimeout;
        while (true)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            var attempt = TimeSpan.FromSeconds(Math.Clamp((giveUp - DateTime.UtcNow).TotalSeconds, 0.1, 5));
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            deadline.CancelAfter(attempt);
            Exception failure;
            try
            {
                await socket.ConnectAsync(successor.Address.Host, successor.Address.Port, deadline.Token).ConfigureAwait(false);
                Configure(socket, options);
                var verdict = await TcpRingAuthentication.AnswerAsync(socket, options.Token, deadline.Token).ConfigureAwait(false);
                if (verdict == TcpRingVerdict.Accepted)
                {
                    return socket;
                }
                socket.Dispose();
                var (status, why) = verdict == TcpRingVerdict.Unauthenticated
                    ? (StatusCode.Unauthenticated, "it requires a shared token and this rank has none")
                    : (StatusCode.PermissionDenied, "this rank's shared token is not its token");
                throw new RingAuthenticationException(successor.Rank, successor.Address.ToString(), status,
                    $"Rank {rank}: its successor {successor} refused the link: {why} ({status}).");
            }
            catch (Exception e) when (e is SocketException or IOException && e is not RingPeerException)
            {
                failure = e;
            }
            catch (OperationCanceledException e) when (!cancellation.IsCancellationRequested)
            {
                failure = new TimeoutException($"no answer within {attempt.TotalSeconds:0.#} s", e);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            socket.Dispose();
            if (DateTime.UtcNow + RetryDelay >= giveUp)
            {
                throw new RingPeerException(successor.Rank, successor.Address.ToString(),
                    $"Rank {rank} could not reach its successor {successor} within {options.ConnectTimeout.TotalSeconds:0.###} s: {failure.Message}", failure);
            }

            await Task.Delay(RetryDelay, cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>No Nagle delay (a frame's header and payload go out at once); keep-alive probes so a silent dead peer is noticed.</summary>
    public static void Configure(Socket socket, RingOptions options)
    {
        socket.NoDelay = true;
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        var seconds = (int)Math.Max(1, options.KeepAliveInterval.TotalSeconds);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, seconds);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, seconds);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 3);
    }
}
