using Leap.Evaluation;
using Leap.Training.Data;

namespace Leap.Training.EvaluationSets;

/// <summary>
/// A held-out evaluation set scored with the trained backbone's embeddings: verification pairs (LFW pairs.txt, CFP,
/// InsightFace .bin) or re-ID query/gallery retrieval. Images go through the training decode path.
/// </summary>
public interface IEvaluationSet : IDisposable
{
    /// <summary>Prefix of its metrics ("lfw" gives "lfw/accuracy").</summary>
    string Name { get; }

    /// <summary>Embeds the set with <paramref name="embed"/> and returns its metrics by name (without the prefix).</summary>
    IReadOnlyDictionary<string, double> Evaluate(Func<IImageCollection, Embeddings> embed);
}
