namespace Leap.Collectives.Ring;

/// <summary>A neighbour in the ring, for error messages: "rank 2 (10.0.0.7:5000)".</summary>
internal sealed record RingNeighbour(int Rank, RingAddress Address)
{
    public static RingNeighbour Of(RingOptions options, int rank) => new(rank, RingAddress.Parse(options.Addresses[rank]));

    public override string ToString() => $"rank {Rank} ({Address})";
}
