using Leap.Evaluation;
using Leap.Training.Data;

namespace Leap.Benchmarks.Quality;

/// <summary>A benchmark protocol: its training splits, how to load one, and how to score a trained embedding network.</summary>
public interface IQualityProtocol : IDisposable
{
    /// <summary>"lfw" or "cuhk03".</summary>
    string Name { get; }

    /// <summary>The protocol in words, for the report.</summary>
    string Description { get; }

    IReadOnlyList<QualitySplit> Splits { get; }

    /// <summary>
    /// The training data of a split through the main job's data path (<see cref="RunData.FromSource"/>: long-tail split,
    /// streaming decode per batch); the caller disposes it.
    /// </summary>
    RunData OpenTraining(QualitySplit split);

    /// <summary>Test metrics (fractions) of a network, given as the function that embeds an image collection.</summary>
    IReadOnlyDictionary<string, double> Evaluate(QualitySplit split, Func<IImageCollection, Embeddings> embed);
}
