using Leap.Core.Statistics;
using Leap.Launch;
using Leap.Training.Distributed;

namespace Leap.Benchmarks.Job;

/// <summary>What `leap bench job` runs: the worker counts, steps per run, interleaved repeats, LEAP variant of our job and the model.</summary>
/// <param name="RetainNativeHeap">Every measured process (ours and the peer) keeps freed native memory
/// (<see cref="NativeHeapRetention"/>, the product's default); false runs all of them on glibc's malloc defaults.</param>
/// <param name="Classifier">Training:Distributed:Classifier of our launch (Auto, the product's default, or a forced placement).</param>
public sealed record JobBenchSettings(IReadOnlyList<int> Workers, int Steps, int Repeats, LeapVariant Variant, JobModel Model, bool RetainNativeHeap = true,
    ClassifierPlacement Classifier = ClassifierPlacement.Auto)
{
    /// <summary>The report's name for the placement setting: auto, sharded or replicated.</summary>
    public string ClassifierName => Classifier.ToString().ToLowerInvariant();

    /// <summary>The report's name for the heap setting: retain or default.</summary>
    public string NativeHeap => RetainNativeHeap ? NativeHeapRetention.RetainHeap : NativeHeapRetention.DefaultHeap;

    /// <summary>Global batch of our job and of the DDP peer.</summary>
    public int Batch => Model.Batch;

    /// <summary>Verification pairs of the final evaluation (the quick-start's 3,000 would dominate a short run).</summary>
    public const int EvaluationPairs = 300;

    /// <summary>The first third of the steps is warm-up; throughput is the median of the rest.</summary>
    public int WarmupSteps => Steps / 3;

    /// <summary>Torch threads per DDP process: the cores split over the workers, at least one (our launcher's rule).</summary>
    public static int ThreadsPerWorker(int workers) => WorkerThreads.PerWorker(0, Environment.ProcessorCount, workers);
}
