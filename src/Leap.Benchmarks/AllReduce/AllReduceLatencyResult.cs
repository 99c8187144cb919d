namespace Leap.Benchmarks.AllReduce;

/// <summary>
/// One rank's small-tensor all-reduce timing, in microseconds per call over the timed iterations (each after a barrier).
/// <see cref="CpuMicrosecondsPerIteration"/> is this process's CPU time per iteration, its barrier included.
/// </summary>
public sealed record AllReduceLatencyResult(
    string Algorithm,
    int WorldSize,
    long Bytes,
    int Iterations,
    double MedianMicroseconds,
    double P90Microseconds,
    double MinMicroseconds,
    double MeanMicroseconds,
    double CpuMicrosecondsPerIteration);
