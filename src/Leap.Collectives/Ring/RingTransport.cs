namespace Leap.Collectives.Ring;

/// <summary>What carries a ring's frames between processes.</summary>
public enum RingTransport
{
    /// <summary><see cref="GrpcRingCollectives"/>: HTTP/2 streams, protobuf frames.</summary>
    Grpc,

    /// <summary><see cref="TcpRingCollectives"/>: one plain TCP connection per link, raw frames.</summary>
    Tcp,
}
