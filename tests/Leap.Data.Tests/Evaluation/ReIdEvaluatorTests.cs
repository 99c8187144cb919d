using System.Text.Json;
using Leap.Evaluation;
using Leap.Evaluation.ReId;

namespace Leap.Data.Tests.Evaluation;

/// <summary>ReIdEvaluator on hand-worked rankings and against tests/reference/generate_reid_reference.py, to 1e-9.</summary>
public sealed class ReIdEvaluatorTests
{
    private const double Tolerance = 1e-9;

    private static readonly Lazy<JsonElement[]> ReferenceCases = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "reid_reference.json")))
            .RootElement.GetProperty("cases").EnumerateArray().ToArray());

    public static IEnumerable<object[]> CaseNames() => ReferenceCases.Value.Select(c => new object[] { c.GetProperty("name").GetString()! });

    [Fact]
    public void EvaluateDistances_MatchesAtRanksOneAndThree_GivesHandComputedApAndCmc()
    {
        // One query (person 1, camera 0); gallery ranked g0 (person 1), g1 (person 2), g2 (person 1).
        // Precision at the matches: 1/1 and 2/3 -> AP = (1 + 2/3) / 2 = 5/6; first match at rank 1.
        ReIdLabel[] query = [new(1, 0)];
        ReIdLabel[] gallery = [new(1, 1), new(2, 1), new(1, 1)];

        ReIdReport report = ReIdEvaluator.EvaluateDistances([0.1, 0.2, 0.3], query, gallery, maxRank: 3);

        Assert.Equal(5.0 / 6.0, report.MeanAveragePrecision, Tolerance);
        Assert.Equal([1.0, 1.0, 1.0], report.Cmc);
        Assert.Equal(1, report.ValidQueries);
    }

    [Fact]
    public void EvaluateDistances_SamePersonSameCameraAndJunk_AreRemovedFromTheRanking()
    {
        // Ranked: g0 same person + same camera (removed), g1 junk (removed), g2 person 3, g3 person 1 camera 1.
        // Kept ranking: g2, g3 -> first match at rank 2, AP = 1/2.
        ReIdLabel[] query = [new(1, 0)];
        ReIdLabel[] gallery = [new(1, 0), new(ReIdLabel.JunkPersonId, 1), new(3, 1), new(1, 1)];

        ReIdReport report = ReIdEvaluator.EvaluateDistances([0.0, 0.1, 0.2, 0.3], query, gallery, maxRank: 2);

        Assert.Equal(0.5, report.MeanAveragePrecision, Tolerance);
        Assert.Equal([0.0, 1.0], report.Cmc);
    }

    [Fact]
    public void EvaluateDistances_QueryWithoutValidMatch_IsSkippedAndLeftOutOfTheMeans()
    {
        // Query 0's only same-person image shares its camera; query 1 finds its match first.
        ReIdLabel[] query = [new(1, 0), new(2, 0)];
        ReIdLabel[] gallery = [new(1, 0), new(2, 1)];

        ReIdReport report = ReIdEvaluator.EvaluateDistances([0.5, 0.1, 0.9, 0.2], query, gallery, maxRank: 1);

        Assert.Equal(1, report.ValidQueries);
        Assert.Equal(1, report.SkippedQueries);
        Assert.Equal(1.0, report.MeanAveragePrecision, Tolerance);
        Assert.Equal(1.0, report.RankAt(1), Tolerance);
    }

    [Fact]
    public void EvaluateDistances_TiedDistances_KeepGalleryOrder()
    {
        // All distances tie: the ranking is g0 (person 2), g1 (person 1): first match at rank 2.
        ReIdLabel[] query = [new(1, 0)];
        ReIdLabel[] gallery = [new(2, 1), new(1, 1)];

        ReIdReport report = ReIdEvaluator.EvaluateDistances([0.4, 0.4], query, gallery, maxRank: 2);

        Assert.Equal([0.0, 1.0], report.Cmc);
        Assert.Equal(0.5, report.MeanAveragePrecision, Tolerance);
    }

    [Fact]
    public void Evaluate_CosineEmbeddings_RanksTheNearestDirectionFirst()
    {
        var query = new Embeddings([1f, 0f], 2);
        var gallery = new Embeddings([0f, 3f, 2f, 0.1f], 2);

        ReIdReport report = ReIdEvaluator.Evaluate(query, [new ReIdLabel(7, 0)], gallery, [new ReIdLabel(8, 1), new ReIdLabel(7, 1)], maxRank: 1);

        Assert.Equal(1.0, report.RankAt(1), Tolerance);
        Assert.Equal(1.0, report.RankAt(5), Tolerance);
    }

    [Fact]
    public void EvaluateDistances_WrongMatrixSize_Throws()
    {
        Assert.Throws<ArgumentException>(() => ReIdEvaluator.EvaluateDistances([0.1, 0.2], [new ReIdLabel(1, 0)], [new ReIdLabel(1, 1)]));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Evaluate_ReferenceCase_MatchesNumpy(string name)
    {
        JsonElement c = ReferenceCases.Value.Single(e => e.GetProperty("name").GetString() == name);
        ReIdLabel[] query = Labels(c, "query");
        ReIdLabel[] gallery = Labels(c, "gallery");
        int maxRank = c.GetProperty("max_rank").GetInt32();

        ReIdReport report = c.TryGetProperty("distances", out JsonElement distances)
            ? ReIdEvaluator.EvaluateDistances(MetricReference.Doubles(distances), query, gallery, maxRank)
            : ReIdEvaluator.Evaluate(
                new Embeddings(MetricReference.Floats(c.GetProperty("query_embeddings")), c.GetProperty("dimension").GetInt32()), query,
                new Embeddings(MetricReference.Floats(c.GetProperty("gallery_embeddings")), c.GetProperty("dimension").GetInt32()), gallery, maxRank);

        JsonElement expected = c.GetProperty("expected");
        Assert.Equal(expected.GetProperty("valid").GetInt32(), report.ValidQueries);
        Assert.Equal(expected.GetProperty("skipped").GetInt32(), report.SkippedQueries);
        Assert.Equal(expected.GetProperty("map").GetDouble(), report.MeanAveragePrecision, Tolerance);
        double[] cmc = MetricReference.Doubles(expected.GetProperty("cmc"));
        Assert.Equal(cmc.Length, report.Cmc.Count);
        for (int r = 0; r < cmc.Length; r++)
        {
            Assert.Equal(cmc[r], report.Cmc[r], Tolerance);
        }
    }

    [Fact]
    public void ReferenceCases_ExerciseTiesJunkAndSkippedQueries()
    {
        JsonElement[] cases = ReferenceCases.Value;
        Assert.Contains(cases, c => c.TryGetProperty("distances", out _));
        Assert.Contains(cases, c => c.GetProperty("gallery_pids").EnumerateArray().Any(p => p.GetInt32() == ReIdLabel.JunkPersonId));
        Assert.Contains(cases, c => c.GetProperty("expected").GetProperty("skipped").GetInt32() > 0);
    }

    private static ReIdLabel[] Labels(JsonElement c, string prefix)
    {
        int[] pids = MetricReference.Ints(c.GetProperty($"{prefix}_pids"));
        int[] cams = MetricReference.Ints(c.GetProperty($"{prefix}_cams"));
        return pids.Select((p, i) => new ReIdLabel(p, cams[i])).ToArray();
    }
}
