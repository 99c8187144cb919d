using TorchSharp;
using System.Diagnostics;
using Leap.Collectives;
using static TorchSharp.torch;

namespace Leap.Benchmarks.AllReduce;

/// <summary>Times float32 sum all-reduces. Every rank of the group must call <see cref="RunAsync"/> with the same arguments.</summary>
public static class AllReduceBenchmark
{
    public static async Task<AllReduceBenchmarkResult> RunAsync(ICollectives collectives, int megabytes, int iterations, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(collectives);
        ArgumentOutOfRangeException.ThrowIfLessThan(megabytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var elements = (long)megabytes * (1 << 20) / sizeof(float);
        using var one = 1.0f.ToScalar();
        using var tensor = full(elements, one, ScalarType.Float32);

        await collectives.AllReduceAsync(tensor, ReduceOp.Sum, cancellation).ConfigureAwait(false); // warm-up: connections, buffers
        var times = new List<TimeSpan>(iterations);
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var pauseBefore = GC.GetTotalPauseDuration();
        var gen2Before = GC.CollectionCount(2);
        for (var i = 0; i < iterations; i++)
        {
            await collectives.BarrierAsync(cancellation).ConfigureAwait(false);
            var watch = Stopwatch.StartNew();
            await collectives.AllReduceAsync(tensor, ReduceOp.Sum, cancellation).ConfigureAwait(false);
            times.Add(watch.Elapsed);
        }

        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore) / iterations;
        var managed = new ManagedHeapCost(
            (GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore) / iterations,
            (GC.GetTotalPauseDuration() - pauseBefore) / iterations,
            (double)(GC.CollectionCount(2) - gen2Before) / iterations);
        var bytes = elements * sizeof(float);
        var mean = TimeSpan.FromTicks((long)times.Average(t => t.Ticks));
        var n = collectives.WorldSize;
        var algbw = bytes / mean.TotalSeconds / 1e9;
        return new AllReduceBenchmarkResult(collectives.Algorithm, n, bytes, iterations, mean, times.Min(), algbw, algbw * 2 * (n - 1) / n, cpu, managed);
    }
}
