using System.Globalization;

namespace Leap.Benchmarks.Classifier;

/// <summary>One point of the model-parallel classifier scaling benchmark.</summary>
/// <param name="Batch">Global batch (rows of the gathered embeddings); each of the N ranks contributes Batch / N.</param>
/// <param name="SampleRate">Partial FC's fraction of negative classes (1 = the full classifier).</param>
public sealed record ClassifierBenchSettings(int Classes, int Workers, int Batch, int Dimension, double SampleRate, int WarmupSteps, int Steps)
{
    /// <summary>docs/bench/classifier-C1000K-N4.json, or ...-r0.1.json with partial FC.</summary>
    public string DefaultPath() => Path.Combine("docs", "bench", string.Create(CultureInfo.InvariantCulture,
        $"classifier-C{Classes / 1000}K-N{Workers}{(SampleRate < 1 ? $"-r{SampleRate:0.###}" : "")}.json"));

    /// <summary>Threads per rank: the cores split over the ranks, at least one.</summary>
    public int ThreadsPerRank => Math.Max(1, Environment.ProcessorCount / Workers);
}
