using System.Text;
using Leap.Benchmarks.Quality;

namespace Leap.Training.Tests.Quality;

/// <summary>Budget probes live beside the grid, never in it, and the report sets each beside the grid's same cell.</summary>
public sealed class QualityBudgetProbesTests : IDisposable
{
    private static readonly QualitySplit Market = new("market-H20-S5", 20, 5, 5);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-probes-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static QualityCellResult Cell(QualityBudget budget, double rank1, params (long Step, double Rank1)[] curve) =>
        new(Market.Name, "CosFace", 1, budget.ReIdSteps, 4194, 730, 1800, DateTimeOffset.UnixEpoch, new Dictionary<string, double> { ["rank1"] = rank1, ["mAP"] = rank1 / 2 },
            budget.Describe(Market), [.. curve.Select(p => new QualityCurvePoint(p.Step, 1.0, new Dictionary<string, double> { ["rank1"] = p.Rank1 }))]);

    [Fact]
    public void DirectoryOf_IsASiblingOfTheGridDirectory_AndRejectsPathLikeNames()
    {
        string grid = Path.Combine(_root, "quality-v2");

        Assert.Equal(Path.Combine(_root, "quality-v2-probes", "erasing"), QualityBudgetProbes.DirectoryOf(grid + Path.DirectorySeparatorChar, "erasing"));
        Assert.Throws<ArgumentException>(() => QualityBudgetProbes.DirectoryOf(grid, "../grid"));
        Assert.Throws<ArgumentException>(() => QualityBudgetProbes.DirectoryOf(grid, "a/b"));
    }

    [Fact]
    public void Difference_NamesOnlyWhatTheProbeChanged()
    {
        var market = QualityBudget.V2.Describe(Market);

        Assert.Equal("random erasing 0.5", QualityBudgetProbes.Difference((QualityBudget.V2 with { ReIdRandomErasing = 0.5 }).Describe(Market), market));
        Assert.Equal("re-ID 128x256 RGB, random erasing 0.5", QualityBudgetProbes.Difference((QualityBudget.V2 with { ReIdRandomErasing = 0.5, ReIdHeight = 256, ReIdWidth = 128 }).Describe(Market), market));
        Assert.Equal("the grid's budget", QualityBudgetProbes.Difference(market, market));
    }

    [Fact]
    public void Report_ProbesSavedBesideTheGrid_AreRenderedBesideTheGridsCellAndKeptOutOfItsTables()
    {
        string gridDirectory = Path.Combine(_root, "quality-v2");
        var erasing = QualityBudget.V2 with { ReIdRandomErasing = 0.5 };
        var larger = QualityBudget.V2 with { ReIdHeight = 256, ReIdWidth = 128 };
        var gridCell = Cell(QualityBudget.V2, 0.43);
        new QualityResultCache(gridDirectory).Save(gridCell);
        new QualityResultCache(QualityBudgetProbes.DirectoryOf(gridDirectory, "erasing")).Save(Cell(erasing, 0.47, (400, 0.40), (800, 0.47)));
        new QualityResultCache(QualityBudgetProbes.DirectoryOf(gridDirectory, "input256")).Save(Cell(larger, 0.52));
        var grid = new QualityGrid([Market], [QualityMethod.Parse("CosFace")], [1]);

        var probes = QualityBudgetProbes.Load(gridDirectory);
        string md = QualityReportWriter.Render(grid, new QualityResultCache(gridDirectory).LoadAll(), "cmd", "data", QualityBudget.V2, probes: probes);

        Assert.Equal(["erasing", "input256"], probes.Select(p => p.Probe));
        Assert.Single(new QualityResultCache(gridDirectory).LoadAll());
        Assert.Contains("| CosFace | 1 | 43.00 |", md, StringComparison.Ordinal);
        Assert.Contains("| erasing | market-H20-S5 | CosFace | 1 | random erasing 0.5 | 400: 40.0, 800: 47.0 | 30.0 | 43.00 | +4.00 | 3.0 points below 50 % | — |", md, StringComparison.Ordinal);
        Assert.Contains("| input256 | market-H20-S5 | CosFace | 1 | re-ID 128x256 RGB | 800: 52.0 | 30.0 | 43.00 | +9.00 | rank1 >= 50 %: met | — |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_LfwProbe_SetsItsValidationAucBesideTheGridCells()
    {
        var faces = new QualitySplit("lfw-fold01-natural", null, 1, 5, Fold: 1);
        QualityCellResult Face(QualityBudget budget, double accuracy, double validationAuc) =>
            new(faces.Name, "CosFace", 1, budget.Steps, 9296, 3437, 1200, DateTimeOffset.UnixEpoch,
                new Dictionary<string, double> { ["accuracy"] = accuracy, ["auc"] = 0.9, ["validationAuc"] = validationAuc }, budget.Describe(faces));
        string gridDirectory = Path.Combine(_root, "quality-v2");
        new QualityResultCache(gridDirectory).Save(Face(QualityBudget.V2, 0.845, 0.9405));
        new QualityResultCache(QualityBudgetProbes.DirectoryOf(gridDirectory, "flip-only")).Save(Face(QualityBudget.V2 with { FacePadCrop = 0 }, 0.82, 0.9391));
        var grid = new QualityGrid([faces], [QualityMethod.Parse("CosFace")], [1]);

        string md = QualityReportWriter.Render(grid, new QualityResultCache(gridDirectory).LoadAll(), "cmd", "data", QualityBudget.V2, probes: QualityBudgetProbes.Load(gridDirectory));

        Assert.Contains("| flip-only | lfw-fold01-natural | CosFace | 1 | random flip | 600: 82.0 | 20.0 | 84.50 | -2.50 | 3.0 points below 85 % | 93.91 / 94.05 |", md, StringComparison.Ordinal);
        Assert.Contains("LFW's pad-crop 8 is the one choice made from results: over flip alone, by the validation fold's AUC", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_NoProbes_HasNoProbeSection()
    {
        var grid = new QualityGrid([Market], [QualityMethod.Parse("CosFace")], [1]);

        string md = QualityReportWriter.Render(grid, [Cell(QualityBudget.V2, 0.43)], "cmd", "data", QualityBudget.V2, probes: QualityBudgetProbes.Load(Path.Combine(_root, "none")));

        Assert.DoesNotContain("Budget probes", md, StringComparison.Ordinal);
        var section = new StringBuilder();
        QualityBudgetProbes.Append(section, [], [], _ => "");
        Assert.Equal(0, section.Length);
    }
}
