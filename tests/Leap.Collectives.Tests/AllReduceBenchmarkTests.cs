
using Leap.Benchmarks.AllReduce;

namespace Leap.Collectives.Tests;

/// <summary>Runs alone: the heap check reads the whole process's allocations, which other test classes' rings would add to.</summary>
[Collection(nameof(AllReduceBenchmarkTests))]
public sealed class AllReduceBenchmarkTests
{
    [Theory]
    [MemberData(nameof(Groups.Kinds), MemberType = typeof(Groups))]
    public async Task RunAsync_TwoRanks_ReportsBusBandwidthAsNcclTestsDefineIt(string kind)
    {
        IReadOnlyList<ICollectives> ranks = kind == "in-process"
            ? InProcessCollectives.Create(2)
            : await Within.Await(LoopbackRing.StartAsync(Groups.Transport(kind), 2), "the ring to form");

        var results = await Within.OnAllRanks(ranks, c => AllReduceBenchmark.RunAsync(c, megabytes: 2, iterations: 3), "the benchmark");

        foreach (var result in results)
        {
            Assert.Equal(2 << 20, result.Bytes);
            Assert.Equal(2, result.WorldSize);
            Assert.Equal(3, result.Iterations);
            Assert.Equal(ranks[0].Algorithm, result.Algorithm);
            Assert.True(result.MinTime > TimeSpan.Zero && result.MinTime <= result.MeanTime);
            Assert.Equal(result.Bytes / result.MeanTime.TotalSeconds / 1e9, result.AlgorithmBandwidthGBps, 9);
            Assert.Equal(result.AlgorithmBandwidthGBps * 2 * (2 - 1) / 2, result.BusBandwidthGBps, 9);
            Assert.True(result.ManagedHeap.AllocatedBytes >= 0 && result.ManagedHeap.GcPause >= TimeSpan.Zero && result.ManagedHeap.Gen2Collections >= 0);
        }

        if (kind == "tcp")
        {
            // The TCP ring receives into the tensor: the heap (both ranks and the test host share this process) grows by
            // far less than the 2 MiB each rank receives per all-reduce.
            Assert.All(results, r => Assert.True(r.ManagedHeap.AllocatedBytes < (512 << 10), $"{r.ManagedHeap.AllocatedBytes} managed bytes per all-reduce"));
        }

        foreach (var rank in ranks)
        {
            await Within.Await(rank.DisposeAsync().AsTask(), "shutdown");
        }
    }
}

[CollectionDefinition(nameof(AllReduceBenchmarkTests), DisableParallelization = true)]
public sealed class AllReduceBenchmarkTestsCollection;
