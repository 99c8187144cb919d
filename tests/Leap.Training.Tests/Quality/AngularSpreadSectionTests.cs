using System.Text;
using Leap.Benchmarks.Quality;
using Xunit;

namespace Leap.Training.Tests.Quality;

/// <summary>The report's head/tail spread section: the table, the baselines against the paper's ratio, and LEAP's ratio paired by seed.</summary>
public sealed class AngularSpreadSectionTests
{
    private static readonly QualitySplit Market = new("market-H20-S5", 20, 5, 5);

    private static readonly QualityGrid Grid = new([Market], [QualityMethod.Parse("CosFace"), QualityMethod.Parse("LEAP-CF")], [1, 2, 3]);

    [Fact]
    public void Append_PairsTheTailHeadRatioBySeed()
    {
        // CosFace ratios 0.90, 0.92, 0.88; LEAP-CF 0.84, 0.84, 0.82: differences -0.06, -0.08, -0.06,
        // mean -0.0667, sd 0.01155, SE 0.00667, t = -10.0 beyond t(2) = 4.303.
        QualityCellResult[] found =
        [
            Cell("CosFace", 1, 0.5, 0.45), Cell("CosFace", 2, 0.5, 0.46), Cell("CosFace", 3, 0.5, 0.44),
            Cell("LEAP-CF", 1, 0.5, 0.42), Cell("LEAP-CF", 2, 0.5, 0.42), Cell("LEAP-CF", 3, 0.5, 0.41),
        ];
        var md = new StringBuilder();

        AngularSpreadSection.Append(md, Grid, found);

        string text = md.ToString();
        Assert.Contains("| market-H20-S5 | CosFace | 3 | 0.500 | 0.450 | 0.90 |", text, StringComparison.Ordinal);
        Assert.Contains("| market-H20-S5 | LEAP-CF | 3 | 0.500 | 0.417 | 0.83 |", text, StringComparison.Ordinal);
        Assert.Contains("The baselines' tail / head here ranges from 0.88 to 0.92 over 3 cells, against 0.62 in the paper (0.288 / 0.463).", text, StringComparison.Ordinal);
        Assert.Contains("Of these 1 comparisons, LEAP's tail is significantly narrower than its baseline's in 1, wider in 0 and within noise in 0.", text, StringComparison.Ordinal);
        Assert.Contains("- market-H20-S5, LEAP-CF - CosFace: -0.067 ± 0.007 (t = -10.0, n = 3: narrower)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_OneSharedSeed_NoPairedLine()
    {
        QualityCellResult[] found = [Cell("CosFace", 1, 0.5, 0.45), Cell("LEAP-CF", 1, 0.5, 0.42), Cell("LEAP-CF", 2, 0.5, 0.41)];
        var md = new StringBuilder();

        AngularSpreadSection.Append(md, Grid, found);

        string text = md.ToString();
        Assert.Contains("ranges from 0.90 to 0.90 over 1 cell, against", text, StringComparison.Ordinal);
        Assert.DoesNotContain("paired by seed", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_NoTailClasses_TableOnly()
    {
        var faces = new QualitySplit("lfw-fold01-natural", null, 1, 5, Fold: 1);
        var grid = new QualityGrid([faces], [QualityMethod.Parse("CosFace"), QualityMethod.Parse("LEAP-CF")], [1, 2]);
        QualityCellResult[] found =
        [
            Cell("CosFace", 1, 0.25, double.NaN, faces.Name, tailClasses: 0), Cell("CosFace", 2, 0.24, double.NaN, faces.Name, tailClasses: 0),
            Cell("LEAP-CF", 1, 0.25, double.NaN, faces.Name, tailClasses: 0), Cell("LEAP-CF", 2, 0.24, double.NaN, faces.Name, tailClasses: 0),
        ];
        var md = new StringBuilder();

        AngularSpreadSection.Append(md, grid, found);

        string text = md.ToString();
        Assert.Contains("| lfw-fold01-natural | CosFace | 2 | 0.245 | — (no tail classes) | — |", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ranges from", text, StringComparison.Ordinal);
        Assert.DoesNotContain("paired by seed", text, StringComparison.Ordinal);
    }

    private static QualityCellResult Cell(string method, long seed, double head, double tail, string split = "market-H20-S5", int tailClasses = 80) =>
        new(split, method, seed, 800, 100, 100, 1.5, DateTimeOffset.UnixEpoch,
            new Dictionary<string, double> { ["rank1"] = 0.4 }, "test budget", null, new QualitySpread(head, tail, 20, tailClasses));
}
