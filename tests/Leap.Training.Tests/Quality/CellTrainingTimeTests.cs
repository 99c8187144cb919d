using Leap.Benchmarks.Quality;
using Xunit;

namespace Leap.Training.Tests.Quality;

/// <summary>The report's training time per cell: per protocol, the median and range, not a mean a slow outlier drags.</summary>
public sealed class CellTrainingTimeTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Measure_GivesEachProtocolsMedianAndRange()
    {
        // Market: 600, 660, 900 and an outlier of 6,000 s: median (660 + 900) / 2 = 780 s = 13.0 min, where the mean
        // would be 2,040 s = 34.0 min. LFW: 1,200, 1,080 and 1,020 s: median 1,080 s = 18.0 min.
        QualityCellResult[] found =
        [
            Cell("market-H100-S5", 600), Cell("lfw-fold01-natural", 1200), Cell("market-H20-S3", 6000),
            Cell("lfw-fold01-H100-S2", 1080), Cell("market-H20-S5", 900), Cell("market-H100-S5", 660), Cell("lfw-fold01-natural", 1020),
        ];

        var paces = CellTrainingTime.Measure(found);

        Assert.Equal([new("market", 4, 780, 600, 6000), new("lfw", 3, 1080, 1020, 1200)], paces);
        Assert.Equal("market 13.0 min (10.0–100.0 min, 4 cells); lfw 18.0 min (17.0–20.0 min, 3 cells)", CellTrainingTime.Describe(paces));
    }

    [Fact]
    public void Describe_OneCellAndNone()
    {
        Assert.Equal("cuhk03 5.0 min (5.0–5.0 min, 1 cell)", CellTrainingTime.Describe(CellTrainingTime.Measure([Cell("cuhk03-H20-S5", 300)])));
        Assert.Empty(CellTrainingTime.Measure([]));
        Assert.Equal("no finished cell", CellTrainingTime.Describe([]));
    }

    private static QualityCellResult Cell(string split, double seconds) =>
        new(split, "CosFace", 1, 800, 100, 10, seconds, Start, new Dictionary<string, double> { ["rank1"] = 0.4 }, "recipe");
}
