namespace Leap.Benchmarks.AllReduce;

/// <summary>
/// One rank's all-reduce timing. Bandwidths follow nccl-tests: algbw = bytes / time, busbw = algbw * 2(N-1)/N
/// (the per-link traffic of a ring all-reduce, comparable across world sizes). <see cref="CpuTimePerIteration"/> is this
/// process's CPU time (all threads, user + kernel) per timed iteration: above the mean time means it used more than one core.
/// <see cref="ManagedHeap"/> is what the same iterations cost the .NET heap (allocation, GC pauses, full collections).
/// </summary>
public sealed record AllReduceBenchmarkResult(
    string Algorithm,
    int WorldSize,
    long Bytes,
    int Iterations,
    TimeSpan MeanTime,
    TimeSpan MinTime,
    double AlgorithmBandwidthGBps,
    double BusBandwidthGBps,
    TimeSpan CpuTimePerIteration,
    ManagedHeapCost ManagedHeap);
