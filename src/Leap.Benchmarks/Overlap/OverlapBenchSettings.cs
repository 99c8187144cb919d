using Leap.Launch;
using Leap.Training.Modeling;

namespace Leap.Benchmarks.Overlap;

/// <summary>What `leap bench overlap` runs: model, global batch, classifier, image size, ranks and step counts.</summary>
public sealed record OverlapBenchSettings(BackboneKind Backbone, int Workers, int Batch, int Classes, int Dimension, int Image, int WarmupSteps, int Steps, int Repeats)
{
    /// <summary>Synthetic images (3 channels), shared read-only by the ranks.</summary>
    public const int DatasetImages = 256;

    /// <summary>Torch threads: the cores split over the ranks, at least one (the rule of `leap launch`).</summary>
    public int ThreadsPerWorker => WorkerThreads.PerWorker(0, Environment.ProcessorCount, Workers);
}
