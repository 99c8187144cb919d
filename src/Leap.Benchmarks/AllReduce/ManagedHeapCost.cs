namespace Leap.Benchmarks.AllReduce;

/// <summary>
/// Per timed iteration, this process's managed heap work: bytes allocated (all threads), time the runtime was paused for
/// collections, and gen-2 (full, large-object-heap) collections. A transport that allocates its frames shows up here.
/// </summary>
public sealed record ManagedHeapCost(long AllocatedBytes, TimeSpan GcPause, double Gen2Collections);
