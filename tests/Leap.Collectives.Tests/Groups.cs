using Leap.Collectives.Ring;

namespace Leap.Collectives.Tests;

/// <summary>
/// Rings of 1..4 ranks over each transport ("grpc": real Kestrel; "tcp": real sockets; both on 127.0.0.1, small 1 KiB
/// chunks so every segment spans several frames), started once and shared by the tests of the "groups" collection,
/// plus fresh in-process groups.
/// </summary>
public sealed class Groups : IAsyncLifetime
{
    public const int SmallChunkBytes = 1024;

    /// <summary>The shared token of every shared ring (so every collective test runs over authenticated links).</summary>
    public static readonly Leap.Security.SharedToken Token = Leap.Security.SharedToken.From("collectives-test-token-71af");
    private readonly Dictionary<(string Kind, int WorldSize), IReadOnlyList<RingCollectives>> _rings = [];

    /// <summary>The ring transports, by the names the theories use.</summary>
    public static TheoryData<string> RingKinds => new() { "grpc", "tcp" };

    /// <summary>Every kind, for tests that do not depend on the world size.</summary>
    public static TheoryData<string> Kinds => new() { "in-process", "grpc", "tcp" };

    public static TheoryData<string, int> Cases
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (var kind in new[] { "in-process", "grpc", "tcp" })
            {
                for (var n = 1; n <= 4; n++)
                {
                    data.Add(kind, n);
                }
            }

            return data;
        }
    }

    public IReadOnlyList<ICollectives> Get(string kind, int worldSize) =>
        kind == "in-process" ? InProcessCollectives.Create(worldSize, TimeSpan.FromSeconds(20)) : _rings[(kind, worldSize)];

    public static RingTransport Transport(string kind) => kind switch
    {
        "grpc" => RingTransport.Grpc,
        "tcp" => RingTransport.Tcp,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a ring kind."),
    };

    public async Task InitializeAsync()
    {
        foreach (var kind in new[] { "grpc", "tcp" })
        {
            for (var n = 1; n <= 4; n++)
            {
                _rings[(kind, n)] = await Within.Await(
                    LoopbackRing.StartAsync(Transport(kind), n, o => { o.ChunkBytes = SmallChunkBytes; o.ExchangeTimeout = TimeSpan.FromSeconds(20); o.Token = Token; }),
                    $"a {n}-rank {kind} ring to form");
            }
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var rank in _rings.Values.SelectMany(r => r))
        {
            await Within.Await(rank.DisposeAsync().AsTask(), $"rank {rank.Rank} to shut down");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class GroupsCollection : ICollectionFixture<Groups>
{
    public const string Name = "groups";
}
