using Leap.Data.Sources;
using Leap.Evaluation;
using Leap.Training.Data;

namespace Leap.Training.EvaluationSets;

/// <summary>
/// Verification on folded pairs as the benchmarks define them (pairs in fold order, 10 contiguous folds): 10-fold
/// accuracy with the threshold chosen on the other nine folds, its standard deviation, ROC AUC and TPR at FPR 1e-3.
/// Every image any pair names is embedded once.
/// </summary>
public sealed class VerificationSet : IEvaluationSet
{
    private readonly IImageSource _source;
    private readonly EvaluationImages _images;
    private readonly PairSet _pairs;

    public VerificationSet(string name, IImageSource source, BatchDecoder decoder, PairSet pairs)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count < 20 || pairs.PositiveCount == 0 || pairs.NegativeCount == 0)
        {
            throw new InvalidDataException($"Evaluation set '{name}' has {pairs.Count} pairs ({pairs.PositiveCount} same); 10-fold verification needs at least 20 of both kinds.");
        }

        Name = name;
        _source = source;
        _pairs = pairs;
        _images = new EvaluationImages(decoder, Enumerable.Range(0, source.Count).ToArray(), new long[source.Count]);
    }

    public string Name { get; }
    public int PairCount => _pairs.Count;

    public IReadOnlyDictionary<string, double> Evaluate(Func<IImageCollection, Embeddings> embed)
    {
        ArgumentNullException.ThrowIfNull(embed);
        VerificationReport report = VerificationEvaluator.Evaluate(embed(_images), _pairs);
        var metrics = new Dictionary<string, double>
        {
            ["accuracy"] = report.Accuracy.Mean,
            ["accuracy_std"] = report.Accuracy.StandardDeviation,
            ["auc"] = report.Auc,
        };
        foreach (var point in report.TprAtFpr.Where(p => p.IsAvailable && p.TargetFpr >= 1e-3))
        {
            metrics[$"tpr_at_fpr_{point.TargetFpr:0.#####}"] = point.Tpr!.Value;
        }

        return metrics;
    }

    public void Dispose() => _source.Dispose();
}
