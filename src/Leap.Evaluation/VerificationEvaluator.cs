namespace Leap.Evaluation;

/// <summary>
/// Face-verification metrics on pair scores (higher = more alike; a pair is called "same" iff its score is strictly
/// above the threshold): LFW-style k-fold accuracy, ROC, and TPR at fixed FPR. All handle tied scores exactly.
/// </summary>
public static class VerificationEvaluator
{
    public static readonly IReadOnlyList<double> DefaultTargetFprs = [1e-2, 1e-3, 1e-4, 1e-5];

    /// <summary>Cosine scores of <paramref name="pairs"/>, then all the metrics below.</summary>
    public static VerificationReport Evaluate(Embeddings embeddings, PairSet pairs, int folds = 10, IReadOnlyList<double>? targetFprs = null)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        double[] scores = pairs.CosineScores(embeddings);
        bool[] isSame = pairs.IsSame();
        return new VerificationReport(
            KFold(scores, isSame, folds),
            TprAtFprs(scores, isSame, targetFprs ?? DefaultTargetFprs),
            Auc(Roc(scores, isSame)));
    }

    /// <summary>
    /// Splits the pairs, in order, into <paramref name="folds"/> contiguous folds (the first n mod k folds one pair
    /// larger, as scikit-learn's KFold); for each fold picks the accuracy-maximising threshold on the other folds
    /// (see <see cref="ThresholdSearch"/>) and measures accuracy on the held-out fold.
    /// </summary>
    public static KFoldAccuracy KFold(ReadOnlySpan<double> scores, ReadOnlySpan<bool> isSame, int folds = 10)
    {
        ScoredPairs.Validate(scores, isSame);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(folds, scores.Length);

        var accuracies = new double[folds];
        var thresholds = new double[folds];
        int start = 0;
        for (int f = 0; f < folds; f++)
        {
            int size = scores.Length / folds + (f < scores.Length % folds ? 1 : 0);
            int end = start + size;
            int foldStart = start;
            int[] test = Enumerable.Range(foldStart, size).ToArray();
            int[] train = Enumerable.Range(0, scores.Length).Where(i => i < foldStart || i >= end).ToArray();
            thresholds[f] = ThresholdSearch.BestThreshold(scores, isSame, train);
            accuracies[f] = ThresholdSearch.Accuracy(scores, isSame, test, thresholds[f]);
            start = end;
        }

        double mean = accuracies.Average();
        double std = Math.Sqrt(accuracies.Sum(a => (a - mean) * (a - mean)) / folds);
        return new KFoldAccuracy(accuracies, thresholds, mean, std, thresholds.Average());
    }

    /// <summary>
    /// ROC points by decreasing threshold, one per distinct score u (pairs strictly above u accepted), so the first
    /// point, at the highest score, is (FPR 0, TPR 0), and a final point at -inf accepts everything (1, 1).
    /// </summary>
    public static IReadOnlyList<RocPoint> Roc(ReadOnlySpan<double> scores, ReadOnlySpan<bool> isSame)
    {
        ScoredPairs.Validate(scores, isSame);
        (int positives, int negatives) = Count(isSame);
        RequireBothKinds(positives, negatives);
        int[] order = ScoredPairs.OrderByScore(scores, Enumerable.Range(0, scores.Length));
        var points = new List<RocPoint>();
        int tp = 0, fp = 0;
        int k = order.Length - 1;
        while (k >= 0)
        {
            double u = scores[order[k]];
            points.Add(new RocPoint(u, (double)fp / negatives, (double)tp / positives));
            while (k >= 0 && scores[order[k]] == u)
            {
                if (isSame[order[k]])
                {
                    tp++;
                }
                else
                {
                    fp++;
                }

                k--;
            }
        }

        points.Add(new RocPoint(double.NegativeInfinity, 1, 1));
        return points;
    }

    /// <summary>Area under the ROC curve by the trapezoidal rule (a tied positive/negative pair counts one half).</summary>
    public static double Auc(IReadOnlyList<RocPoint> roc)
    {
        ArgumentNullException.ThrowIfNull(roc);
        double area = 0;
        for (int i = 1; i < roc.Count; i++)
        {
            area += (roc[i].FalsePositiveRate - roc[i - 1].FalsePositiveRate)
                * (roc[i].TruePositiveRate + roc[i - 1].TruePositiveRate) / 2;
        }

        return area;
    }

    /// <summary>
    /// For each target FPR: with N negatives, allow m = floor(FPR * N) false positives (a 1e-9 slack absorbs binary
    /// rounding of FPR * N); the threshold is the (m+1)-th largest negative score, the smallest value with at most m
    /// negatives strictly above it. TPR is the fraction of positives strictly above it. If m = 0 (N &lt; 1 / FPR),
    /// the entry is not available.
    /// </summary>
    public static IReadOnlyList<TprAtFpr> TprAtFprs(ReadOnlySpan<double> scores, ReadOnlySpan<bool> isSame, IReadOnlyList<double>? targetFprs = null)
    {
        ScoredPairs.Validate(scores, isSame);
        targetFprs ??= DefaultTargetFprs;
        (int positives, int negatives) = Count(isSame);
        RequireBothKinds(positives, negatives);

        var negativeScores = new List<double>(negatives);
        var positiveScores = new List<double>(positives);
        for (int i = 0; i < scores.Length; i++)
        {
            (isSame[i] ? positiveScores : negativeScores).Add(scores[i]);
        }

        negativeScores.Sort((a, b) => b.CompareTo(a));
        var results = new List<TprAtFpr>(targetFprs.Count);
        foreach (double target in targetFprs)
        {
            if (!(target > 0 && target <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(targetFprs), target, "A target FPR must lie in (0, 1].");
            }

            long allowed = (long)Math.Floor(target * negatives + 1e-9);
            if (allowed < 1)
            {
                results.Add(new TprAtFpr(target, null, null, null));
                continue;
            }

            double threshold = allowed >= negatives ? double.NegativeInfinity : negativeScores[(int)allowed];
            double tpr = (double)positiveScores.Count(s => s > threshold) / positives;
            double fpr = (double)negativeScores.Count(s => s > threshold) / negatives;
            results.Add(new TprAtFpr(target, tpr, threshold, fpr));
        }

        return results;
    }

    private static (int Positives, int Negatives) Count(ReadOnlySpan<bool> isSame)
    {
        int positives = 0;
        foreach (bool same in isSame)
        {
            positives += same ? 1 : 0;
        }

        return (positives, isSame.Length - positives);
    }

    private static void RequireBothKinds(int positives, int negatives)
    {
        if (positives == 0 || negatives == 0)
        {
            throw new ArgumentException($"ROC needs both kinds of pair; got {positives} positives and {negatives} negatives.");
        }
    }
}
