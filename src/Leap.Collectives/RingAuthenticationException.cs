using Grpc.Core;

namespace Leap.Collectives;

/// <summary>
/// A ring peer refused this rank's shared token: <see cref="StatusCode.Unauthenticated"/> (none was sent) or
/// <see cref="StatusCode.PermissionDenied"/> (a different one). Not transient: the ranks were given different tokens.
/// </summary>
public sealed class RingAuthenticationException : RingPeerException
{
    public RingAuthenticationException(int peerRank, string peerAddress, StatusCode status, string message, Exception? innerException = null)
        : base(peerRank, peerAddress, message, innerException)
    {
        Status = status;
    }

    public RingAuthenticationException()
        : this(-1, "", StatusCode.Unauthenticated, "A ring peer refused this rank's token.")
    {
    }

    public RingAuthenticationException(string message)
        : this(-1, "", StatusCode.Unauthenticated, message)
    {
    }

    public RingAuthenticationException(string message, Exception innerException)
        : this(-1, "", StatusCode.Unauthenticated, message, innerException)
    {
    }

    public StatusCode Status { get; }
}
