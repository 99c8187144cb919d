using TorchSharp;
using Leap.Training.Modeling;
using static TorchSharp.torch;

namespace Leap.Training.Distributed;

/// <summary>
/// The cosine logits one step computes on a classifier shard: against every row, or with partial FC against the
/// step's sampled rows only. Labels come back as column positions (-1 where another shard owns the class) and the
/// columns' global class ids key LEAP's alpha draws, so alpha is drawn for exactly the columns that exist.
/// </summary>
public static class ClassifierColumns
{
    public static (Tensor Cosine, Tensor Labels, Tensor ClassIds, SampledColumns? Sampled) Forward(
        CosineClassifier classifier, Tensor features, Tensor globalLabels, Tensor columnClassIds, ClassShard shard, PartialFc? partialFc, long step)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(globalLabels);
        if (partialFc is not null)
        {
            var sampled = partialFc.Select(classifier.Weight, globalLabels, step);
            return (CosineClassifier.Cosine(features, sampled.Weight), sampled.Labels, sampled.ClassIds, sampled);
        }
        using var start = shard.Start.ToScalar();
        using var end = (shard.Start + shard.Count).ToScalar();
        using var none = (-1).ToScalar();
        var owned = globalLabels.ge(start) & globalLabels.lt(end);
        var localLabels = where(owned, globalLabels.sub(start), full_like(globalLabels, none)).to(features.device);
        return (classifier.forward(features), localLabels, columnClassIds, null);
    }
}
