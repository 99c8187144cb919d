using System.Text.Json;
using Leap.Evaluation;

namespace Leap.Data.Tests.Evaluation;

/// <summary>IdentificationEvaluator on a hand-worked case and against tests/reference/generate_identification_reference.py.</summary>
public sealed class IdentificationEvaluatorTests
{
    private static readonly Lazy<JsonDocument> Reference = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "identification_reference.json"))));

    public static IEnumerable<object[]> CaseNames() =>
        Reference.Value.RootElement.GetProperty("cases").EnumerateArray().Select(c => new object[] { c.GetProperty("name").GetString()! });

    [Fact]
    public void EvaluateScores_HandWorked_TiesWithADistractorAreMisses()
    {
        // Probes 0, 1 are identity 7; probe 2 (identity 9) has no mate and gives no trial.
        double[] probe =
        [
            1.0, 0.8, 0.1,
            0.8, 1.0, 0.2,
            0.1, 0.2, 1.0,
        ];
        // Probe 0's best distractor 0.5 < 0.8: hit. Probe 1's best distractor 0.8 = its mate's 0.8: a tie, a miss.
        double[] distractors = [0.5, 0.3, 0.8, 0.1, 0.9, 0.9];

        var report = IdentificationEvaluator.EvaluateScores(probe, distractors, [7, 7, 9]);

        Assert.Equal(2, report.Trials);
        Assert.Equal(1, report.Correct);
        Assert.Equal(0.5, report.Rank1);
        Assert.Equal(2, report.Distractors);
        Assert.Equal(2, report.Identities);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Evaluate_MatchesTheNumpyReference(string name)
    {
        var c = Reference.Value.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        int[] ids = MetricReference.Ints(c.GetProperty("identities_of_probes"));
        IdentificationReport report;
        if (c.TryGetProperty("probe_scores", out var scores))
        {
            report = IdentificationEvaluator.EvaluateScores(MetricReference.Doubles(scores), MetricReference.Doubles(c.GetProperty("distractor_scores")), ids);
        }
        else
        {
            int d = c.GetProperty("dimension").GetInt32();
            report = IdentificationEvaluator.Evaluate(
                new Embeddings(MetricReference.Floats(c.GetProperty("probe_embeddings")), d), ids,
                new Embeddings(MetricReference.Floats(c.GetProperty("distractor_embeddings")), d));
        }
        var expected = c.GetProperty("expected");

        Assert.Equal(expected.GetProperty("trials").GetInt64(), report.Trials);
        Assert.Equal(expected.GetProperty("correct").GetInt64(), report.Correct);
        Assert.Equal(expected.GetProperty("identities").GetInt32(), report.Identities);
        Assert.Equal(expected.GetProperty("rank1").GetDouble(), report.Rank1, MetricReference.Tolerance);
    }

    [Fact]
    public void EvaluateScores_WrongShapes_Throw()
    {
        Assert.Throws<ArgumentException>(() => IdentificationEvaluator.EvaluateScores(new double[3], new double[2], [1, 1]));
        Assert.Throws<ArgumentException>(() => IdentificationEvaluator.EvaluateScores(new double[4], new double[3], [1, 1]));
    }
}
