using System.Text;
using Leap.Benchmarks.Quality;
using Leap.Benchmarks.Report;

namespace Leap.Training.Tests.Quality;

/// <summary>The partial-FC accuracy section of docs/benchmarks.md, rendered from quality cells on disk.</summary>
public sealed class PartialFcAccuracySectionTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-pfc-section-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData(new[] { 62.0, 63.0, 64.0 }, new[] { 61.5, 61.0, 63.5 }, "-1.00 ± 0.50 (t = -2.0, n = 3: within noise)")]
    [InlineData(new[] { 62.0, 63.0, 64.0 }, new[] { 58.0, 59.5, 60.0 }, "-3.83 ± 0.17 (t = -23.0, n = 3: below)")]
    [InlineData(new[] { 62.0, 63.0, 64.0 }, new[] { 66.0, 67.5, 68.0 }, "+4.17 ± 0.17 (t = +25.0, n = 3: above)")]
    [InlineData(new[] { 62.0, 63.0 }, new[] { 58.0, 59.0 }, "n < 3 shared seeds: undecided")]
    public void Verdict_PairedTTestOverSharedSeeds(double[] full, double[] sampled, string expected) =>
        Assert.Equal(expected, PartialFcAccuracySection.Verdict(BySeed(full), BySeed(sampled)));

    [Fact]
    public void PairedSeedComparison_MatchesAHandComputedTTest()
    {
        // d = (1, 2, 4, 5): mean 3, sd sqrt(10/3), SE sqrt(10/3)/2 = 0.9129, t = 3.286 > t(0.975, 3) = 3.182.
        var c = PairedSeedComparison.Of(BySeed([10, 10, 10, 10]), BySeed([11, 12, 14, 15]))!;
        Assert.Equal(4, c.Seeds);
        Assert.Equal(3, c.MeanDifference, 12);
        Assert.Equal(Math.Sqrt(10.0 / 3) / 2, c.StandardError, 12);
        Assert.Equal(3.182, c.CriticalT);
        Assert.True(c.Significant);
        Assert.False(PairedSeedComparison.Of(BySeed([10, 10, 10]), BySeed([11, 12, 14]))!.Significant);
        Assert.Null(PairedSeedComparison.Of(BySeed([10]), new Dictionary<long, double> { [2] = 3 }));
        Assert.Equal(2.042, PairedSeedComparison.CriticalValue(30));
        var same = PairedSeedComparison.Of(BySeed([0.1, 0.2, 0.3]), BySeed([0.1 + (1 / 3295.0), 0.2 + (1 / 3295.0), 0.3 + (1 / 3295.0)]))!;
        Assert.False(same.Significant);
        Assert.Contains("no spread, not tested", same.Describe(), StringComparison.Ordinal);
        Assert.InRange(PairedSeedComparison.CriticalValue(31), 2.0390, 2.0400);
        Assert.InRange(PairedSeedComparison.CriticalValue(60), 1.9998, 2.0008);
    }

    private static Dictionary<long, double> BySeed(double[] values) =>
        values.Select((v, i) => (Seed: (long)(i + 1), v)).ToDictionary(x => x.Seed, x => x.v);

    [Fact]
    public void Render_PairsEachPartialFcMethodWithItsFullClassifier()
    {
        var cache = new QualityResultCache(Path.Combine(_root, "quality"));
        void Save(string split, string method, long seed, double accuracy) => cache.Save(new QualityCellResult(split, method, seed, 600, 100, 10, 1,
            DateTimeOffset.UnixEpoch, new Dictionary<string, double> { ["accuracy"] = accuracy }, "b"));
        for (int seed = 1; seed <= 3; seed++)
        {
            Save("lfw-fold01-natural", "CosFace", seed, 0.62 + (0.01 * seed));
            Save("lfw-fold01-natural", "CosFace-PFC0.1", seed, new[] { 0.60, 0.60, 0.62 }[seed - 1]);
            Save("cuhk03-H100-S5", "CosFace-PFC0.1", seed, 0.1);
        }

        var markdown = new StringBuilder();
        new PartialFcAccuracySection().Render(new BenchmarkResults(_root), markdown);
        string text = markdown.ToString();

        Assert.Contains("| lfw-fold01-natural | CosFace | 0.1 | 64.00 ± 1.00 (n = 3) | 60.67 ± 1.15 (n = 3) | -3.33 ± 0.33 (t = -10.0, n = 3: below) | 1.43 |", text, StringComparison.Ordinal);
        Assert.DoesNotContain("| 0.3 |", text, StringComparison.Ordinal);
        Assert.Contains("1 of 1 mean differences are negative (mean -3.33 points)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("cuhk03", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoCells_SaysWhatToRun()
    {
        var markdown = new StringBuilder();
        new PartialFcAccuracySection().Render(new BenchmarkResults(_root), markdown);
        Assert.Contains("No results yet", markdown.ToString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
