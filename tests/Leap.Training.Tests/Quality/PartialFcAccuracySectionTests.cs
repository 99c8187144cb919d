using System.Text;
using Leap.Cli.Benchmarks.Quality;
using Leap.Cli.Benchmarks.Report;

namespace Leap.Training.Tests.Quality;

/// <summary>The partial-FC accuracy section of docs/benchmarks.md, rendered from quality cells on disk.</summary>
public sealed class PartialFcAccuracySectionTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-pfc-section-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData(new[] { 62.0, 63.0, 64.0 }, new[] { 61.0, 62.0, 63.0 }, "within noise (-1.2 SE)")]
    [InlineData(new[] { 62.0, 63.0, 64.0 }, new[] { 58.0, 59.0, 60.0 }, "below (-4.9 SE)")]
    [InlineData(new[] { 62.0, 63.0, 64.0 }, new[] { 66.0, 67.0, 68.0 }, "above (+4.9 SE)")]
    [InlineData(new[] { 62.0, 63.0 }, new[] { 58.0, 59.0, 60.0 }, "n < 3: undecided")]
    public void Verdict_ComparesTheDifferenceWithItsStandardError(double[] full, double[] sampled, string expected) =>
        Assert.Equal(expected, PartialFcAccuracySection.Verdict(full, sampled));

    [Fact]
    public void Render_PairsEachPartialFcMethodWithItsFullClassifier()
    {
        var cache = new QualityResultCache(Path.Combine(_root, "quality"));
        void Save(string split, string method, long seed, double accuracy) => cache.Save(new QualityCellResult(split, method, seed, 600, 100, 10, 1,
            DateTimeOffset.UnixEpoch, new Dictionary<string, double> { ["accuracy"] = accuracy }, "b"));
        for (int seed = 1; seed <= 3; seed++)
        {
            Save("lfw-fold01-natural", "CosFace", seed, 0.62 + (0.01 * seed));
            Save("lfw-fold01-natural", "CosFace-PFC0.1", seed, 0.58 + (0.01 * seed));
            Save("cuhk03-H100-S5", "CosFace-PFC0.1", seed, 0.1);
        }

        var markdown = new StringBuilder();
        new PartialFcAccuracySection().Render(new BenchmarkResults(_root), markdown);
        string text = markdown.ToString();

        Assert.Contains("| lfw-fold01-natural | CosFace | 0.1 | 64.00 ± 1.00 (n = 3) | 60.00 ± 1.00 (n = 3) | -4.00 | below (-4.9 SE) |", text, StringComparison.Ordinal);
        Assert.DoesNotContain("| 0.3 |", text, StringComparison.Ordinal);
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
