using System.Diagnostics;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Leap.Collectives.Tests;

/// <summary>100 MB of float32 per rank through a real loopback ring with the default chunk size.</summary>
public sealed class LargeAllReduceTests(ITestOutputHelper output)
{
    private const long Elements = 100L * (1 << 20) / sizeof(float);

    [Theory]
    [InlineData("grpc", 2)]
    [InlineData("grpc", 3)]
    [InlineData("tcp", 2)]
    [InlineData("tcp", 3)]
    public async Task AllReduce_100MBFloat32OnLoopbackRing_MatchesReferenceOnEveryRank(string kind, int worldSize)
    {
        var ranks = await Within.Await(LoopbackRing.StartAsync(Groups.Transport(kind), worldSize), "the ring to form");
        var inputs = Enumerable.Range(0, worldSize).Select(r => rand(Elements, generator: new Generator((ulong)r + 1))).ToArray();
        var expected = Reference.Reduce(inputs, ReduceOp.Sum);
        foreach (var pass in new[] { "cold", "warm" })
        {
            var tensors = inputs.Select(x => x.clone()).ToArray();
            var watch = Stopwatch.StartNew();

            await Within.OnAllRanks(ranks, c => c.AllReduceAsync(tensors[c.Rank], ReduceOp.Sum), $"a 100 MB {kind} all-reduce on {worldSize} ranks", TimeSpan.FromSeconds(60));

            var elapsed = watch.Elapsed;
            var busbw = 2.0 * (worldSize - 1) / worldSize * Elements * sizeof(float) / elapsed.TotalSeconds / 1e9;
            output.WriteLine($"{kind} N={worldSize} ({pass}): 100 MB all-reduce in {elapsed.TotalSeconds:0.000} s, busbw {busbw:0.000} GB/s");
            Reference.AssertEqualUpToSummationOrder(expected, tensors[0], ReduceOp.Sum, "100 MB sum");
            for (var r = 1; r < worldSize; r++)
            {
                Assert.True(Reference.BitEqual(tensors[0], tensors[r]), $"rank {r} differs from rank 0");
            }

            foreach (var t in tensors)
            {
                t.Dispose();
            }
        }

        foreach (var rank in ranks)
        {
            await Within.Await(rank.DisposeAsync().AsTask(), "shutdown");
        }
    }
}
