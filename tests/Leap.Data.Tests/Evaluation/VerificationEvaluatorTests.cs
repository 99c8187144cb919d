using Leap.Evaluation;

namespace Leap.Data.Tests.Evaluation;

public sealed class VerificationEvaluatorTests
{
    [Fact]
    public void KFold_TwoHandComputedFolds_PicksSmallestBestMidpointAndKeepsTiesTogether()
    {
        // Fold 0 trains on fold 1: sorted 0.2F 0.35T 0.6F 0.8T; candidates -0.8 (2 right), 0.275 (3), 0.475 (2),
        // 0.7 (3), 1.8 (2): the smallest best is 0.275. Fold 1 trains on fold 0: 0.1F {0.5F 0.5T} 0.9T; the tied
        // pair cannot be split, candidates -0.9 (2), 0.3 (3), 0.7 (3), 1.9 (2): 0.3. Each held-out fold gets 3 of 4.
        double[] scores = [0.9, 0.5, 0.5, 0.1, 0.8, 0.6, 0.35, 0.2];
        bool[] same = [true, false, true, false, true, false, true, false];

        KFoldAccuracy result = VerificationEvaluator.KFold(scores, same, folds: 2);

        Assert.Equal(0.275, result.FoldThresholds[0], 1e-12);
        Assert.Equal(0.3, result.FoldThresholds[1], 1e-12);
        Assert.Equal(new[] { 0.75, 0.75 }, result.FoldAccuracies);
        Assert.Equal((0.75, 0.0), (result.Mean, result.StandardDeviation));
        Assert.Equal(0.2875, result.MeanThreshold, 1e-12);
    }

    [Fact]
    public void KFold_UnevenFolds_ReportsPopulationStd()
    {
        // 5 pairs, 2 folds: fold 0 = pairs 0..2, fold 1 = pairs 3..4 (first fold one larger).
        // Fold 0 trains on {0.7T, 0.6F}: threshold 0.65; held out 0.9T, 0.2F right, 0.4T wrong -> 2/3.
        // Fold 1 trains on {0.9T, 0.2F, 0.4T}: threshold 0.3; held out 0.7T right, 0.6F wrong -> 1/2.
        double[] scores = [0.9, 0.2, 0.4, 0.7, 0.6];
        bool[] same = [true, false, true, true, false];

        KFoldAccuracy result = VerificationEvaluator.KFold(scores, same, folds: 2);

        Assert.Equal(new[] { 2.0 / 3, 0.5 }, result.FoldAccuracies);
        Assert.Equal(1.0 / 12, result.StandardDeviation, 1e-12);
    }

    [Fact]
    public void KFold_FewerPairsThanFolds_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => VerificationEvaluator.KFold([0.1, 0.2], [true, false], folds: 3));
    }

    [Fact]
    public void TprAtFprs_TiedNegativesAtThreshold_CountOnlyStrictlyHigherScores()
    {
        // 100 negatives: 0.9, 0.9, 0.8, then 97 at 0.0. Positives 0.95, 0.9, 0.85, 0.5.
        double[] negatives = [0.9, 0.9, 0.8, .. Enumerable.Repeat(0.0, 97)];
        double[] scores = [0.95, 0.9, 0.85, 0.5, .. negatives];
        bool[] same = [true, true, true, true, .. Enumerable.Repeat(false, 100)];

        IReadOnlyList<TprAtFpr> result = VerificationEvaluator.TprAtFprs(scores, same, [0.01, 0.02, 0.03, 0.001]);

        // 1 false positive allowed: the tie at 0.9 forbids going below 0.9, where none is above (FPR 0).
        Assert.Equal(new TprAtFpr(0.01, 0.25, 0.9, 0.0), result[0]);
        Assert.Equal(new TprAtFpr(0.02, 0.75, 0.8, 0.02), result[1]);
        Assert.Equal(new TprAtFpr(0.03, 1.0, 0.0, 0.03), result[2]);
        Assert.Equal(new TprAtFpr(0.001, null, null, null), result[3]);
        Assert.False(result[3].IsAvailable);
    }

    [Fact]
    public void TprAtFprs_ExactlyOneOverFprNegatives_IsAvailable()
    {
        double[] scores = [1.0, .. Enumerable.Range(0, 1000).Select(i => i / 1000.0)];
        bool[] same = [true, .. Enumerable.Repeat(false, 1000)];

        IReadOnlyList<TprAtFpr> result = VerificationEvaluator.TprAtFprs(scores, same);

        Assert.Equal(0.998, result[1].Threshold);
        Assert.Equal(0.001, result[1].AchievedFpr);
        Assert.Null(result[2].Tpr);
    }

    [Fact]
    public void Roc_TiedScores_FormOnePointPerDistinctScore()
    {
        double[] scores = [0.9, 0.5, 0.5, 0.1];
        bool[] same = [true, true, false, false];

        IReadOnlyList<RocPoint> roc = VerificationEvaluator.Roc(scores, same);

        Assert.Equal(
            new[] { new RocPoint(0.9, 0, 0), new RocPoint(0.5, 0, 0.5), new RocPoint(0.1, 0.5, 1), new RocPoint(double.NegativeInfinity, 1, 1) },
            roc);
        Assert.Equal(0.875, VerificationEvaluator.Auc(roc), 1e-15);
    }

    [Fact]
    public void Auc_AllScoresTied_IsOneHalf()
    {
        Assert.Equal(0.5, VerificationEvaluator.Auc(VerificationEvaluator.Roc([0.3, 0.3, 0.3], [true, false, false])));
    }

    [Fact]
    public void Roc_OnlyPositives_Throws()
    {
        Assert.Throws<ArgumentException>(() => VerificationEvaluator.Roc([0.3, 0.4], [true, true]));
    }

    [Fact]
    public void KFold_NaNScore_Throws()
    {
        Assert.Throws<ArgumentException>(() => VerificationEvaluator.KFold([0.3, double.NaN, 0.1, 0.2], [true, true, false, false], 2));
    }

    [Fact]
    public void Evaluate_SeparableEmbeddings_GivesPerfectScoresAndNaWhereTooFewNegatives()
    {
        // Two identities on orthogonal axes, 10 samples each with small jitter.
        float[] data = Enumerable.Range(0, 20)
            .SelectMany(i => i < 10 ? new[] { 1f, 0.01f * i } : new[] { 0.01f * i, 1f })
            .ToArray();
        int[] labels = Enumerable.Range(0, 20).Select(i => i / 10).ToArray();
        PairSet pairs = PairGenerator.Generate(labels, positives: 60, negatives: 100, seed: 3);

        VerificationReport report = VerificationEvaluator.Evaluate(new Embeddings(data, 2), pairs);
        string text = VerificationReportFormatter.Format(report);

        Assert.Equal(1.0, report.Accuracy.Mean);
        Assert.Equal(1.0, report.Auc);
        Assert.Equal(1.0, report.TprAtFpr[0].Tpr);
        Assert.Null(report.TprAtFpr[1].Tpr);
        Assert.Contains("10-fold accuracy: 100.00% ± 0.00%", text, StringComparison.Ordinal);
        Assert.Contains("TPR@FPR=1E-2: 100.00%", text, StringComparison.Ordinal);
        Assert.Contains("TPR@FPR=1E-3: n/a", text, StringComparison.Ordinal);
    }
}
