using System.Text.Json;
using Leap.Evaluation;
using static Leap.Data.Tests.Evaluation.MetricReference;

namespace Leap.Data.Tests.Evaluation;

/// <summary>Leap.Evaluation against tests/reference/generate_metric_reference.py (brute-force numpy), to 1e-9.</summary>
public sealed class MetricReferenceTests
{
    public static IEnumerable<object[]> Cases => VerificationCaseNames();

    [Theory]
    [MemberData(nameof(Cases))]
    public void KFold_ReferenceCaseWithTiedScores_MatchesNumpy(string name)
    {
        JsonElement c = VerificationCase(name);
        JsonElement expected = c.GetProperty("kfold");

        KFoldAccuracy actual = VerificationEvaluator.KFold(Doubles(c.GetProperty("scores")), Bools(c.GetProperty("is_same")), c.GetProperty("folds").GetInt32());

        AssertClose(Doubles(expected.GetProperty("fold_thresholds")), actual.FoldThresholds);
        AssertClose(Doubles(expected.GetProperty("fold_accuracies")), actual.FoldAccuracies);
        Assert.Equal(expected.GetProperty("mean").GetDouble(), actual.Mean, Tolerance);
        Assert.Equal(expected.GetProperty("std").GetDouble(), actual.StandardDeviation, Tolerance);
        Assert.Equal(expected.GetProperty("mean_threshold").GetDouble(), actual.MeanThreshold, Tolerance);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TprAtFprs_ReferenceCaseWithTiedScores_MatchesNumpyIncludingUnavailable(string name)
    {
        JsonElement c = VerificationCase(name);
        JsonElement[] expected = c.GetProperty("tpr_at_fpr").EnumerateArray().ToArray();

        IReadOnlyList<TprAtFpr> actual = VerificationEvaluator.TprAtFprs(Doubles(c.GetProperty("scores")), Bools(c.GetProperty("is_same")));

        Assert.Equal(expected.Length, actual.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].GetProperty("target").GetDouble(), actual[i].TargetFpr);
            AssertClose(NullableDouble(expected[i].GetProperty("tpr")), actual[i].Tpr);
            AssertClose(NullableDouble(expected[i].GetProperty("threshold")), actual[i].Threshold);
            AssertClose(NullableDouble(expected[i].GetProperty("achieved_fpr")), actual[i].AchievedFpr);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Auc_ReferenceCase_MatchesMannWhitneyWithHalfTies(string name)
    {
        JsonElement c = VerificationCase(name);

        double auc = VerificationEvaluator.Auc(VerificationEvaluator.Roc(Doubles(c.GetProperty("scores")), Bools(c.GetProperty("is_same"))));

        Assert.Equal(c.GetProperty("auc").GetDouble(), auc, Tolerance);
    }

    [Fact]
    public void ReferenceCases_ExerciseTiesAndUnavailableEntries()
    {
        // Guards the reference data itself: it must keep covering ties and n/a, or the tests above lose their point.
        JsonElement[] cases = Root.GetProperty("verification").EnumerateArray().ToArray();

        Assert.All(cases, c => Assert.True(c.GetProperty("distinct_scores").GetInt32() < c.GetProperty("scores").GetArrayLength() / 2));
        Assert.Contains(cases, c => c.GetProperty("tpr_at_fpr").EnumerateArray().Any(t => t.GetProperty("tpr").ValueKind == JsonValueKind.Null));
        Assert.Contains(cases, c => c.GetProperty("tpr_at_fpr").EnumerateArray().Count(t => t.GetProperty("tpr").ValueKind != JsonValueKind.Null) >= 3);
    }

    [Fact]
    public void CosineScores_ReferenceEmbeddings_MatchNumpy()
    {
        JsonElement c = Root.GetProperty("cosine");
        var embeddings = new Embeddings(Floats(c.GetProperty("embeddings")), c.GetProperty("dimension").GetInt32());
        var pairs = new PairSet(c.GetProperty("pairs").EnumerateArray().Select(p => new VerificationPair(p[0].GetInt32(), p[1].GetInt32(), false)));

        AssertClose(Doubles(c.GetProperty("scores")), pairs.CosineScores(embeddings));
    }

    [Fact]
    public void AngularSpread_ReferenceEmbeddings_MatchNumpy()
    {
        JsonElement c = Root.GetProperty("angular_spread");
        var embeddings = new Embeddings(Floats(c.GetProperty("embeddings")), c.GetProperty("dimension").GetInt32());

        AngularSpreadReport report = AngularSpread.Compute(embeddings, Ints(c.GetProperty("labels")), Ints(c.GetProperty("head_classes")).ToHashSet());

        JsonElement[] perClass = c.GetProperty("per_class").EnumerateArray().ToArray();
        Assert.Equal(perClass.Length, report.PerClass.Count);
        for (int i = 0; i < perClass.Length; i++)
        {
            Assert.Equal(perClass[i].GetProperty("class_id").GetInt32(), report.PerClass[i].ClassId);
            Assert.Equal(perClass[i].GetProperty("is_head").GetBoolean(), report.PerClass[i].IsHead);
            Assert.Equal(perClass[i].GetProperty("count").GetInt32(), report.PerClass[i].SampleCount);
            Assert.Equal(perClass[i].GetProperty("mean_angle").GetDouble(), report.PerClass[i].MeanAngle, Tolerance);
        }

        AssertGroup(c.GetProperty("head"), report.Head);
        AssertGroup(c.GetProperty("tail"), report.Tail);
    }

    private static void AssertGroup(JsonElement expected, GroupAngularSpread actual)
    {
        Assert.Equal(expected.GetProperty("count").GetInt32(), actual.ClassCount);
        Assert.Equal(expected.GetProperty("mean").GetDouble(), actual.Mean, Tolerance);
        Assert.Equal(expected.GetProperty("half_width_95").GetDouble(), actual.HalfWidth95, Tolerance);
    }

    private static void AssertClose(double[] expected, IReadOnlyList<double> actual)
    {
        Assert.Equal(expected.Length, actual.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], Tolerance);
        }
    }

    private static void AssertClose(double? expected, double? actual)
    {
        Assert.Equal(expected.HasValue, actual.HasValue);
        if (expected is { } e)
        {
            Assert.Equal(e, actual!.Value, Tolerance);
        }
    }
}
