using System.Diagnostics;
using Leap.Collectives;
using TorchSharp;
using static TorchSharp.torch;

namespace Leap.Benchmarks.AllReduce;

/// <summary>
/// Times float32 sum all-reduces of small tensors, where the fixed cost per call (round trips, wake-ups, framing) rather
/// than bandwidth decides: a step's loss, stop flag and batch-norm statistics are tensors of this size. Every rank of the
/// group must call <see cref="RunAsync"/> with the same arguments.
/// </summary>
public static class AllReduceLatencyBenchmark
{
    /// <summary>Untimed all-reduces first: connections, buffers and the first calls' code paths.</summary>
    public const int WarmUps = 50;

    public static async Task<AllReduceLatencyResult> RunAsync(ICollectives collectives, long bytes, int iterations, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(collectives);
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, sizeof(float));
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        long elements = bytes / sizeof(float);
        using var zero = 0.0f.ToScalar();
        using var tensor = full(elements, zero, ScalarType.Float32);
        for (int i = 0; i < WarmUps; i++)
        {
            await collectives.AllReduceAsync(tensor, ReduceOp.Sum, cancellation).ConfigureAwait(false);
        }

        var times = new double[iterations];
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        for (int i = 0; i < iterations; i++)
        {
            await collectives.BarrierAsync(cancellation).ConfigureAwait(false);
            long start = Stopwatch.GetTimestamp();
            await collectives.AllReduceAsync(tensor, ReduceOp.Sum, cancellation).ConfigureAwait(false);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        process.Refresh();
        // Barriers included: the CPU a timed all-reduce costs cannot be told apart from its barrier's.
        double cpu = (process.TotalProcessorTime - cpuBefore).TotalMicroseconds / iterations;
        Array.Sort(times);
        return new AllReduceLatencyResult(collectives.Algorithm, collectives.WorldSize, elements * sizeof(float), iterations,
            Quantile(times, 0.5), Quantile(times, 0.9), times[0], times.Average(), cpu);
    }

    /// <summary>Linear interpolation between order statistics (numpy's default), on sorted values.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        double position = q * (sorted.Count - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }
}
