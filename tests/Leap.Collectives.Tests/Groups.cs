namespace Leap.Collectives.Tests;

/// <summary>
/// Rings of 1..4 ranks (real Kestrel on 127.0.0.1, small 1 KiB chunks so every segment spans several frames),
/// started once and shared by the tests of the "groups" collection, plus fresh in-process groups.
/// </summary>
public sealed class Groups : IAsyncLifetime
{
    public const int SmallChunkBytes = 1024;
    private readonly Dictionary<int, IReadOnlyList<GrpcRingCollectives>> _rings = [];

    public static TheoryData<string, int> Cases
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (var kind in new[] { "in-process", "ring" })
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
        kind == "ring" ? _rings[worldSize] : InProcessCollectives.Create(worldSize, TimeSpan.FromSeconds(20));

    public async Task InitializeAsync()
    {
        for (var n = 1; n <= 4; n++)
        {
            _rings[n] = await Within.Await(
                LoopbackRing.StartAsync(n, o => { o.ChunkBytes = SmallChunkBytes; o.ExchangeTimeout = TimeSpan.FromSeconds(20); }),
                $"a {n}-rank ring to form");
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
