namespace Leap.Collectives.Ring.Tcp;

/// <summary>The accepting rank's answer to a TCP ring link's token proof (the byte on the wire); mirrors the gRPC status codes.</summary>
public enum TcpRingVerdict : byte
{
    Accepted = 0,

    /// <summary>The dialing rank presented no token (gRPC: UNAUTHENTICATED).</summary>
    Unauthenticated = 1,

    /// <summary>The dialing rank's token is not this ring's (gRPC: PERMISSION_DENIED).</summary>
    PermissionDenied = 2,
}
