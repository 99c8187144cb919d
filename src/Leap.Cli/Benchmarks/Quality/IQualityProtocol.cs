using Leap.Evaluation;
using Leap.Training.Data;

namespace Leap.Cli.Benchmarks.Quality;

/// <summary>A benchmark protocol: its training splits, how to load one, and how to score a trained embedding network.</summary>
public interface IQualityProtocol : IDisposable
{
    /// <summary>"lfw" or "cuhk03".</summary>
    string Name { get; }

    /// <summary>The protocol in words, for the report.</summary>
    string Description { get; }

    IReadOnlyList<QualitySplit> Splits { get; }

    /// <summary>Decodes the training images of a split (the caller disposes the set).</summary>
    ImageSet LoadTraining(QualitySplit split);

    /// <summary>Test metrics (fractions) of a network, given as the function that embeds an image set.</summary>
    IReadOnlyDictionary<string, double> Evaluate(QualitySplit split, Func<ImageSet, Embeddings> embed);
}
