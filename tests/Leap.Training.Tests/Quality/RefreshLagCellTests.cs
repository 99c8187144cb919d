using System.Text;
using Leap.Benchmarks.Quality;
using Leap.Core.Statistics;
using Microsoft.Extensions.Logging.Abstractions;

namespace Leap.Training.Tests.Quality;

/// <summary>The overlapped-refresh quality pair (issue #14): the LEAP-CF-Lag1 method's options and its report section.</summary>
public sealed class RefreshLagCellTests
{
    private static readonly QualitySplit Market = new("market-H20-S3", 20, 3, 3);

    [Fact]
    public void Options_Lag1_IsLeapCfWithRefreshLagOne()
    {
        var trainer = new QualityCellTrainer(QualityBudget.V2, "scratch", NullLoggerFactory.Instance);

        var lagged = trainer.Options(Market, QualityMethod.Parse("leap-cf-lag1"), seed: 2);
        var plain = trainer.Options(Market, QualityMethod.Parse("LEAP-CF"), seed: 2);

        Assert.Equal(1, lagged.Leap.RefreshLag);
        Assert.Equal(0, plain.Leap.RefreshLag);
        Assert.Equal((LeapVariant.Full, plain.Loss.Margin, plain.Loss.Scale), (lagged.Leap.Variant, lagged.Loss.Margin, lagged.Loss.Scale));
        Assert.False(trainer.RecordsCurve(QualityMethod.Parse("LEAP-CF-Lag1"), 1));
    }

    [Fact]
    public void Append_PairsLagOneWithLagZeroBySeedAndGivesTheSeedSpreadForScale()
    {
        QualityCellResult[] found =
        [
            Cell("LEAP-CF", 1, 0.3488), Cell("LEAP-CF", 2, 0.3555), Cell("LEAP-CF", 3, 0.3375),
            Cell("LEAP-CF-Lag1", 1, 0.3336),
        ];
        var md = new StringBuilder();

        RefreshLagComparison.Append(md, found);

        string text = md.ToString();
        Assert.Contains("| market-H20-S3 | 1 | rank1 | 34.88 | 33.36 | -1.52 |", text, StringComparison.Ordinal);
        Assert.Contains("LEAP-CF's own standard deviation over its 3 seeds is 0.91 points", text, StringComparison.Ordinal);
        // The notes are one list: no blank line between the rank1 and the mAP note.
        Assert.Contains($"points.{Environment.NewLine}- market-H20-S3 mAP: for scale", text, StringComparison.Ordinal);
        // One shared seed: no paired test yet.
        Assert.DoesNotContain("paired by seed:", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_NoLagCell_WritesNothing()
    {
        var md = new StringBuilder();

        RefreshLagComparison.Append(md, [Cell("LEAP-CF", 1, 0.35)]);

        Assert.Equal("", md.ToString());
    }

    private static QualityCellResult Cell(string method, long seed, double rank1) =>
        new(Market.Name, method, seed, 600, 100, 10, 1.5, DateTimeOffset.UnixEpoch,
            new Dictionary<string, double> { ["rank1"] = rank1, ["mAP"] = rank1 / 2 }, "test budget");
}
