using System.Net.Sockets;
using System.Security.Cryptography;
using Leap.Security;

namespace Leap.Collectives.Ring.Tcp;

/// <summary>
/// The token check that opens every TCP ring link, before any frame. The accepting rank sends
/// <c>"LEAPAUTH"</c> and a fresh 32-byte challenge; the dialing rank answers one flag byte (1 = it has a token) and
/// HMAC-SHA256(token, challenge) (zeros without a token); the accepting rank replies one <see cref="TcpRingVerdict"/>
/// byte and closes the connection unless it is <see cref="TcpRingVerdict.Accepted"/>. The token itself never crosses the
/// wire, and a recorded answer is useless against the next challenge. An accepting rank without a token
/// (Auth:Disabled) accepts every answer.
/// </summary>
internal static class TcpRingAuthentication
{
    public const int ChallengeBytes = 32;
    public const int ProofBytes = 32;
    private static ReadOnlySpan<byte> Magic => "LEAPAUTH"u8;

    /// <summary>Accepting side: challenge the connection; the verdict was sent when this returns.</summary>
    public static async Task<TcpRingVerdict> ChallengeAsync(Socket socket, SharedToken? token, CancellationToken cancellation)
    {
        var challenge = new byte[Magic.Length + ChallengeBytes];
        Magic.CopyTo(challenge);
        RandomNumberGenerator.Fill(challenge.AsSpan(Magic.Length));
        await SendAllAsync(socket, challenge, cancellation).ConfigureAwait(false);
        var answer = new byte[1 + ProofBytes];
        await ReceiveExactlyAsync(socket, answer, cancellation).ConfigureAwait(false);
        var verdict = token is null ? TcpRingVerdict.Accepted
            : answer[0] != 1 ? TcpRingVerdict.Unauthenticated
            : token.Verifies(challenge.AsSpan(Magic.Length), answer.AsSpan(1)) ? TcpRingVerdict.Accepted
            : TcpRingVerdict.PermissionDenied;
        await SendAllAsync(socket, new[] { (byte)verdict }, cancellation).ConfigureAwait(false);
        return verdict;
    }

    /// <summary>Dialing side: answer the challenge with <paramref name="token"/> (or without one) and return the verdict.</summary>
    public static async Task<TcpRingVerdict> AnswerAsync(Socket socket, SharedToken? token, CancellationToken cancellation)
    {
        var challenge = new byte[Magic.Length + ChallengeBytes];
        await ReceiveExactlyAsync(socket, challenge, cancellation).ConfigureAwait(false);
        if (!challenge.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new IOException("the peer did not open with a ring authentication challenge (another program, or an older leap)");
        }
        var answer = new byte[1 + ProofBytes];
        if (token is not null)
        {
            answer[0] = 1;
            token.Prove(challenge.AsSpan(Magic.Length)).CopyTo(answer.AsSpan(1));
        }
        await SendAllAsync(socket, answer, cancellation).ConfigureAwait(false);
        var verdict = new byte[1];
        await ReceiveExactlyAsync(socket, verdict, cancellation).ConfigureAwait(false);
        return Enum.IsDefined((TcpRingVerdict)verdict[0]) ? (TcpRingVerdict)verdict[0]
            : throw new IOException($"the peer answered the authentication with an unknown verdict {verdict[0]}");
    }

    private static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> bytes, CancellationToken cancellation)
    {
        while (!bytes.IsEmpty)
        {
            bytes = bytes[await socket.SendAsync(bytes, SocketFlags.None, cancellation).ConfigureAwait(false)..];
        }
    }

    private static async Task ReceiveExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellation)
    {
        while (!buffer.IsEmpty)
        {
            int received = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellation).ConfigureAwait(false);
            if (received == 0)
            {
                throw new IOException("the peer closed the connection during authentication");
            }
            buffer = buffer[received..];
        }
    }
}
