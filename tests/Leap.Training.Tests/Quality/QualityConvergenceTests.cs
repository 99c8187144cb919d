using System.Text;
using Leap.Benchmarks.Quality;

namespace Leap.Training.Tests.Quality;

/// <summary>The report's convergence table: flat or moving curves, and the verdict against issue #12's targets.</summary>
public sealed class QualityConvergenceTests
{
    private static QualityCellResult Cell(string split, params (long Step, double Loss, double Value)[] curve)
    {
        string metric = QualityReportWriter.HeadlineMetric(split);
        return new QualityCellResult(split, "CosFace", 1, curve[^1].Step, 100, 10, 60, DateTimeOffset.UnixEpoch,
            new Dictionary<string, double> { [metric] = curve[^1].Value }, "budget",
            [.. curve.Select(p => new QualityCurvePoint(p.Step, p.Loss, new Dictionary<string, double> { [metric] = p.Value }))]);
    }

    private static string Render(params QualityCellResult[] cells)
    {
        var md = new StringBuilder();
        QualityConvergence.Append(md, cells);
        return md.ToString();
    }

    [Fact]
    public void Append_FlatCurveBelowTheTarget_SaysMoreStepsWillNotReachIt()
    {
        string md = Render(Cell("market-H20-S5", (400, 0.9, 0.30), (800, 0.06, 0.305)));

        Assert.Contains("| market-H20-S5 | CosFace | 1 | 400: 30.0, 800: 30.5 | 400: 0.9, 800: 0.06 | +0.5 (400 -> 800) |", md, StringComparison.Ordinal);
        Assert.Contains("flat at 30.5 %, 19.5 points below the 50 % target", md, StringComparison.Ordinal);
        Assert.Contains("more steps of this budget will not reach it", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_MovingCurveAndMetTarget_AreToldApart()
    {
        string md = Render(
            Cell("lfw-natural", (300, 2.0, 0.80), (600, 1.0, 0.86)),
            Cell("market-H20-S5", (400, 1.0, 0.30), (800, 0.5, 0.36)));

        Assert.Contains("still moving (+6.0 points in the last interval); target accuracy >= 85 % met", md, StringComparison.Ordinal);
        Assert.Contains("still moving (+6.0 points in the last interval); 14.0 points below the 50 % target: a longer budget may close part of it", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_FallingCurve_ComparesItsPeakWithTheTargetAndNamesOverfittingOnlyWhenTheLossFell()
    {
        string md = Render(
            Cell("lfw-fold01-natural", (150, 29.8, 0.820), (300, 21.8, 0.825), (450, 14.3, 0.817), (600, 9.7, 0.782)),
            Cell("lfw-fold02-natural", (300, 1.0, 0.86), (600, 1.2, 0.84)));

        Assert.Contains("falling (-3.5 points in the last interval) from its peak of 82.5 % at step 300 while the training loss fell to 9.7: overfitting, or noise; 2.5 points below the 85 % target even at its peak: more steps of this budget will not reach it", md, StringComparison.Ordinal);
        Assert.Contains("falling (-2.0 points in the last interval) from its peak of 86.0 % at step 300; it was above the 85 % target at step 300 but not at the end", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_OtherSeedsFinished_TheirMeanIsJudgedAgainstTheTarget()
    {
        QualityCellResult Seed(long seed, double accuracy) => new("lfw-fold01-natural", "CosFace", seed, 600, 100, 10, 60, DateTimeOffset.UnixEpoch,
            new Dictionary<string, double> { ["accuracy"] = accuracy }, "budget");

        string md = Render(Cell("lfw-fold01-natural", (300, 2.0, 0.848), (600, 1.5, 0.845)), Seed(2, 0.8667), Seed(3, 0.8583));

        Assert.Contains("flat at 84.5 %, 0.5 points below the 85 % target", md, StringComparison.Ordinal);
        Assert.Contains(". Over its 3 seeds the mean is 85.67 %: the 85 % target is met |", md, StringComparison.Ordinal);
        Assert.DoesNotContain("Over its", Render(Cell("lfw-fold01-natural", (300, 2.0, 0.848), (600, 1.5, 0.845))), StringComparison.Ordinal);
    }

    [Fact]
    public void Append_LfwCutSplit_HasNoTarget() =>
        Assert.DoesNotContain("target", Render(Cell("lfw-fold01-H100-S2", (300, 2.0, 0.70), (600, 1.0, 0.705))).Split("| verdict |")[1], StringComparison.Ordinal);

    [Fact]
    public void Append_NoCurves_WritesNothing() =>
        Assert.Equal("", Render(Cell("market-H20-S3", (800, 0.1, 0.3))));
}
