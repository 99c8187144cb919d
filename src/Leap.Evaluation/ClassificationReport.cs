namespace Leap.Evaluation;

/// <summary>
/// Closed-set classification accuracy split by head and tail: overall accuracy over samples, and the mean of the
/// per-class accuracies over head classes and over tail classes (classes are those present in the true labels;
/// a group with no class reports NaN).
/// </summary>
public sealed record ClassificationReport(
    double OverallAccuracy,
    double HeadMeanClassAccuracy,
    double TailMeanClassAccuracy,
    IReadOnlyDictionary<int, double> ClassAccuracies)
{
    public static ClassificationReport Compute(IReadOnlyList<int> predicted, IReadOnlyList<int> truth, IReadOnlySet<int> headClasses)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(headClasses);
        if (predicted.Count != truth.Count)
        {
            throw new ArgumentException($"{predicted.Count} predictions for {truth.Count} true labels.", nameof(predicted));
        }

        if (truth.Count == 0)
        {
            throw new ArgumentException("No samples to score.", nameof(truth));
        }

        var totals = new SortedDictionary<int, (int Correct, int Count)>();
        int correct = 0;
        for (int i = 0; i < truth.Count; i++)
        {
            bool hit = predicted[i] == truth[i];
            correct += hit ? 1 : 0;
            totals.TryGetValue(truth[i], out (int Correct, int Count) t);
            totals[truth[i]] = (t.Correct + (hit ? 1 : 0), t.Count + 1);
        }

        var perClass = totals.ToDictionary(kv => kv.Key, kv => (double)kv.Value.Correct / kv.Value.Count);
        return new ClassificationReport(
            (double)correct / truth.Count,
            MeanOrNaN(perClass.Where(kv => headClasses.Contains(kv.Key)).Select(kv => kv.Value)),
            MeanOrNaN(perClass.Where(kv => !headClasses.Contains(kv.Key)).Select(kv => kv.Value)),
            perClass);
    }

    private static double MeanOrNaN(IEnumerable<double> values)
    {
        double[] array = values.ToArray();
        return array.Length == 0 ? double.NaN : array.Average();
    }
}
