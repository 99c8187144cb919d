using Leap.Benchmarks.Quality;
using Xunit;

namespace Leap.Training.Tests.Quality;

/// <summary>The report's remaining-time estimate: each protocol's missing cells priced at that protocol's own pace.</summary>
public sealed class RemainingTrainingEstimateTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Estimate_PricesEachProtocolAtItsOwnNewestCells()
    {
        // Market: 600, 900, 660 s (newest three; an older 3,600 s cell is ignored), median 660 s.
        // LFW: 1,200 and 1,080 s, median 1,140 s. 2 missing Market cells and 4 missing LFW cells:
        // 2 x 660 + 4 x 1,140 = 5,880 s = 1.63 h. The grid's overall newest-three median (660 s) would give 1.1 h.
        QualityCellResult[] found =
        [
            Cell("market-H100-S5", 3600, 0), Cell("lfw-fold01-natural", 1200, 1), Cell("lfw-fold01-natural", 1080, 2),
            Cell("market-H100-S5", 600, 3), Cell("market-H100-S5", 900, 4), Cell("market-H100-S5", 660, 5),
        ];
        QualityCell[] missing =
        [
            new("market-H100-S5", "ArcFace", 3), new("market-H100-S5", "LEAP-AF", 3),
            new("lfw-fold01-natural", "ArcFace", 1), new("lfw-fold01-H100-S2", "CosFace", 1), new("lfw-fold01-H100-S2", "CosFace", 2), new("lfw-fold01-H100-S2", "CosFace", 3),
        ];

        var shares = RemainingTrainingEstimate.Estimate(missing, found);

        Assert.Equal(2, shares.Count);
        Assert.Equal(new RemainingTrainingEstimate.ProtocolShare("market", 2, 660, 3), shares[0]);
        Assert.Equal(new RemainingTrainingEstimate.ProtocolShare("lfw", 4, 1140, 2), shares[1]);
        Assert.Equal(
            "so the 6 missing cells need about 1.6 h of training more (market: 2 at 11.0 min, the median of its newest 3 cells; lfw: 4 at 19.0 min, the median of its newest 2 cells)",
            RemainingTrainingEstimate.Describe(shares));
    }

    [Fact]
    public void Estimate_ProtocolWithoutFinishedCells_TakesTheGridsNewestPace()
    {
        // Newest three overall: 900, 660 and 1,200 s; median 900 s = 15.0 min.
        QualityCellResult[] found = [Cell("market-H100-S5", 600, 0), Cell("market-H100-S5", 900, 1), Cell("market-H100-S5", 660, 2), Cell("lfw-fold01-natural", 1200, 3)];
        QualityCell[] missing = [new("cuhk03-H20-S5", "CosFace", 1)];

        var share = Assert.Single(RemainingTrainingEstimate.Estimate(missing, found));

        Assert.Equal(new RemainingTrainingEstimate.ProtocolShare("cuhk03", 1, 900, 0), share);
        Assert.Equal(
            "so the missing cell needs about 0.2 h of training more (cuhk03: 1 at 15.0 min, the grid's newest cells' pace (none of its own finished yet))",
            RemainingTrainingEstimate.Describe([share]));
        Assert.Contains("market: 1 at 10.0 min, the median of its newest cell)",
            RemainingTrainingEstimate.Describe([new RemainingTrainingEstimate.ProtocolShare("market", 1, 600, 1)]), StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_NothingMissingOrNothingFinished_IsEmpty()
    {
        QualityCellResult[] found = [Cell("market-H100-S5", 600, 0)];

        Assert.Empty(RemainingTrainingEstimate.Estimate([], found));
        Assert.Empty(RemainingTrainingEstimate.Estimate([new QualityCell("market-H100-S5", "CosFace", 2)], []));
        Assert.Equal("so no missing cell needs training", RemainingTrainingEstimate.Describe([]));
    }

    private static QualityCellResult Cell(string split, double seconds, int hour) =>
        new(split, "CosFace", 1, 800, 100, 10, seconds, Start.AddHours(hour), new Dictionary<string, double> { ["rank1"] = 0.4 }, "recipe");
}
