using Leap.Security;

namespace Leap.Collectives.Ring;

/// <summary>
/// Configuration of one rank of a <see cref="GrpcRingCollectives"/> ring. Bind from configuration section
/// <see cref="SectionName"/>; <see cref="RingOptionsValidator"/> reports every bad key at start-up.
/// </summary>
public sealed class RingOptions
{
    public const string SectionName = "Ring";

    /// <summary>"host:port" of every rank, index = rank. Rank r listens on its own entry and dials entry (r + 1) mod N.</summary>
    public IList<string> Addresses { get; set; } = [];

    /// <summary>This process's rank.</summary>
    public int Rank { get; set; }

    /// <summary>
    /// Largest payload of one frame (a chunk of the pipelined ring). Smaller chunks fill the pipeline sooner, larger
    /// ones cost fewer messages; 1 MiB measured best on loopback for 20–100 MB tensors.
    /// </summary>
    public int ChunkBytes { get; set; } = 1 << 20;

    /// <summary>
    /// All-reduces of at most this many bytes per rank (a step's loss, flags, batch-norm statistics) all-gather the
    /// whole tensor in N-1 ring steps and reduce locally, instead of the 2(N-1) steps of reduce-scatter + all-gather:
    /// below this size a step's cost is its round trips, not its bytes. Same result bit for bit; 0 turns it off.
    /// Every rank must use the same value (a difference fails the first such all-reduce as a mismatch).
    /// </summary>
    public int SmallAllReduceBytes { get; set; } = DefaultSmallAllReduceBytes;

    public const int DefaultSmallAllReduceBytes = 64 << 10;
    public const int MaxSmallAllReduceBytes = 16 << 20;

    /// <summary>How long to wait for the ring to form (peers may start later than this rank).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Deadline of every exchange: sending one frame to the successor, or waiting for the next frame from the
    /// predecessor. Also bounds how far ranks may drift apart before a collective (one rank still computing
    /// while the others wait), so keep it above the longest step time.
    /// </summary>
    public TimeSpan ExchangeTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// TCP ring: how long one accepted connection may take to answer the token challenge. Connections are challenged
    /// concurrently, so a silent or slow one is closed after this and never delays the real predecessor.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>HTTP/2 keep-alive ping interval on each link; a silent dead connection fails the next exchange.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The job's shared token: every link must prove it (gRPC: bearer header on each call; TCP: challenge-response when
    /// the link opens) and this rank refuses links that do not. Null = no check (in-process tests, Auth:Disabled).
    /// Set in code, never bound from configuration.
    /// </summary>
    public SharedToken? Token { get; set; }

    public const int MinChunkBytes = 1024;
    public const int MaxChunkBytes = 64 << 20;

    public int WorldSize => Addresses.Count;
}
