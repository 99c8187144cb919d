using Leap.Benchmarks.Quality;
using Microsoft.Extensions.Logging.Abstractions;

namespace Leap.Training.Tests.Quality;

/// <summary>Faces and re-ID cells get their own steps and augmentation, and the training options carry them.</summary>
public sealed class QualityBudgetTests
{
    private static readonly QualitySplit Faces = new("lfw-fold01-natural", null, 1, 5, Fold: 1);
    private static readonly QualitySplit ReId = new("cuhk03-H100-S5", 100, 5, 5);

    [Fact]
    public void Options_FaceCell_NoAugmentationAndFaceSteps()
    {
        var budget = new QualityBudget(Steps: 300, ReIdSteps: 900, ReIdPadCrop: 3);
        var options = new QualityCellTrainer(budget, "scratch", NullLoggerFactory.Instance).Options(Faces, QualityMethod.Parse("LEAP-CF"), seed: 2);

        Assert.Equal(300, options.Steps);
        Assert.False(options.Augmentation.HorizontalFlip);
        Assert.Equal(0, options.Augmentation.PadCrop);
        Assert.Equal(60, options.Leap.CloudStartIteration);
        Assert.Contains("300 steps", budget.Describe(Faces), StringComparison.Ordinal);
        Assert.Contains("no augmentation", budget.Describe(Faces), StringComparison.Ordinal);
    }

    [Fact]
    public void Options_ReIdCell_FlipPadCropAndReIdSteps()
    {
        var budget = new QualityBudget(Steps: 300, ReIdSteps: 900, ReIdPadCrop: 3);
        var options = new QualityCellTrainer(budget, "scratch", NullLoggerFactory.Instance).Options(ReId, QualityMethod.Parse("CosFace"), seed: 2);

        Assert.Equal(900, options.Steps);
        Assert.True(options.Augmentation.HorizontalFlip);
        Assert.Equal(3, options.Augmentation.PadCrop);
        Assert.Equal(180, options.Leap.CloudStartIteration);
        Assert.Contains("900 steps", budget.Describe(ReId), StringComparison.Ordinal);
        Assert.Empty(Leap.Training.Configuration.TrainingOptionsValidator.Validate(options));
    }

    [Fact]
    public void Options_FacePadCrop_AddsPadCropToTheFlipAndIsAnotherRecipe()
    {
        var probe = QualityBudget.V2 with { FacePadCrop = 16 };
        var options = new QualityCellTrainer(probe, "scratch", NullLoggerFactory.Instance).Options(Faces, QualityMethod.Parse("CosFace"), seed: 1);

        Assert.True(options.Augmentation.HorizontalFlip);
        Assert.Equal(16, options.Augmentation.PadCrop);
        Assert.Equal("random flip + pad-crop 16", probe.RecipeFor(Faces).Augmentation);
        Assert.NotEqual(QualityBudget.V2.RecipeFor(Faces), probe.RecipeFor(Faces));
    }

    [Fact]
    public void Render_IgnoresCellsOfAnotherBudget()
    {
        var grid = new QualityGrid([Faces, ReId], [QualityMethod.Parse("CosFace")], [1]);
        var budget = new QualityBudget(Steps: 300, ReIdSteps: 900);
        QualityCellResult Result(QualitySplit split, long steps, double value, string? text = null) =>
            new(split.Name, "CosFace", 1, steps, 100, 10, 1.5, DateTimeOffset.UnixEpoch, new Dictionary<string, double> { ["rank1"] = value }, text ?? budget.Describe(split));

        // The 0.02 cell has the wrong steps, the 0.03 cell the right steps but no augmentation: neither counts.
        string md = QualityReportWriter.Render(grid, [Result(Faces, 300, 0.61), Result(ReId, 300, 0.02), Result(ReId, 900, 0.03, "900 steps, no augmentation"), Result(ReId, 900, 0.12)], "cmd", "data", budget);

        Assert.Contains("61.00", md, StringComparison.Ordinal);
        Assert.Contains("12.00", md, StringComparison.Ordinal);
        string others = md.Replace("12.00", "", StringComparison.Ordinal);
        Assert.DoesNotContain("2.00", others, StringComparison.Ordinal);
        Assert.DoesNotContain("3.00", others, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ClaimTable_PairsEachLeapVariantWithItsBaselineBySeed()
    {
        var methods = new[] { "CosFace", "LEAP-CF", "ArcFace" }.Select(QualityMethod.Parse).ToArray();
        var grid = new QualityGrid([ReId], methods, [1, 2, 3]);
        var budget = new QualityBudget(ReIdSteps: 900);
        QualityCellResult Result(string method, long seed, double rank1) => new(ReId.Name, method, seed, 900, 100, 10, 1.5, DateTimeOffset.UnixEpoch,
            new Dictionary<string, double> { ["rank1"] = rank1, ["mAP"] = rank1 / 2 }, budget.Describe(ReId));
        QualityCellResult[] results =
        [
            Result("CosFace", 1, 0.10), Result("CosFace", 2, 0.12), Result("CosFace", 3, 0.11),
            Result("LEAP-CF", 1, 0.12), Result("LEAP-CF", 2, 0.15), Result("LEAP-CF", 3, 0.14),
        ];

        string md = QualityReportWriter.Render(grid, results, "cmd", "data", budget);

        // d = (2, 3, 3) points: mean 2.67, SE 0.33, t = 8.0 > 4.303.
        Assert.Contains("| cuhk03-H100-S5 | rank1 | +2.67 ± 0.33 (t = +8.0, n = 3: better); detectable 1.79 |", md, StringComparison.Ordinal);
        Assert.Contains("| cuhk03-H100-S5 | mAP | +1.33 ± 0.17 (t = +8.0, n = 3: better); detectable 0.89 |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void RecipeFor_V2Market_MatchesTheBudgetTextTheCommittedCellsRecord()
    {
        var market = new QualitySplit("market-H20-S5", 20, 5, 5);
        const string committed = "800 steps x batch 64, ResNet18 (ImageNet-initialised), D = 512, re-ID 64x128 RGB, random flip + pad-crop 10, 2 threads";

        Assert.Equal(committed, QualityBudget.V2.Describe(market));
        Assert.Equal(QualityBudget.V2.RecipeFor(market), QualityRecipe.Of(800, committed, faces: false));
        Assert.Equal(new QualityRecipe(800, "random flip + pad-crop 10", "re-ID 64x128"), QualityBudget.V2.RecipeFor(market));
    }

    [Fact]
    public void RecipeFor_ErasingOrAnotherInput_IsAnotherRecipeAndTheOptionsCarryIt()
    {
        var market = new QualitySplit("market-H20-S5", 20, 5, 5);
        var erasing = QualityBudget.V2 with { ReIdRandomErasing = 0.5 };
        var larger = QualityBudget.V2 with { ReIdHeight = 256, ReIdWidth = 128 };

        var options = new QualityCellTrainer(erasing, "scratch", NullLoggerFactory.Instance).Options(market, QualityMethod.Parse("CosFace"), seed: 1);

        Assert.Equal(0.5, options.Augmentation.RandomErasing);
        Assert.Equal("800 steps x batch 64, ResNet18 (ImageNet-initialised), D = 512, re-ID 64x128 RGB, random flip + pad-crop 10, random erasing 0.5, 2 threads", erasing.Describe(market));
        Assert.Equal(new QualityRecipe(800, "random flip + pad-crop 10, random erasing 0.5", "re-ID 64x128"), erasing.RecipeFor(market));
        Assert.Equal(erasing.RecipeFor(market), QualityRecipe.Of(800, erasing.Describe(market), faces: false));
        Assert.Equal(new QualityRecipe(800, "random flip + pad-crop 10", "re-ID 128x256"), larger.RecipeFor(market));
        Assert.Equal(0, new QualityCellTrainer(QualityBudget.V2, "scratch", NullLoggerFactory.Instance).Options(market, QualityMethod.Parse("CosFace"), seed: 1).Augmentation.RandomErasing);
        Assert.Equal("faces 112x112", QualityBudget.V2.InputText(Faces));
    }

    [Fact]
    public void PrepareCellDirectory_CheckpointsOfAnotherBudget_AreDeletedAndOwnOrUnrecordedOnesKept()
    {
        string scratch = Path.Combine(Path.GetTempPath(), "leap-cells-" + Guid.NewGuid().ToString("N"));
        var market = new QualitySplit("market-H20-S5", 20, 5, 5);
        var cosFace = QualityMethod.Parse("CosFace");
        try
        {
            var grid = new QualityCellTrainer(QualityBudget.V2, scratch, NullLoggerFactory.Instance);
            var probe = new QualityCellTrainer(QualityBudget.V2 with { ReIdRandomErasing = 0.5 }, scratch, NullLoggerFactory.Instance);
            string cell = grid.CellDirectory(market, cosFace, 1);
            string checkpoints = Path.Combine(cell, "checkpoints");
            Directory.CreateDirectory(checkpoints); // written before budgets were recorded: resumed

            Assert.False(grid.PrepareCellDirectory(market, cosFace, 1));
            Assert.True(Directory.Exists(checkpoints));
            Assert.Equal(QualityBudget.V2.Describe(market), File.ReadAllText(Path.Combine(cell, QualityCellTrainer.BudgetFileName)).Trim());
            Assert.False(grid.PrepareCellDirectory(market, cosFace, 1));
            Assert.True(Directory.Exists(checkpoints));

            Assert.True(probe.PrepareCellDirectory(market, cosFace, 1));
            Assert.False(Directory.Exists(checkpoints));
            Assert.Contains("random erasing 0.5", File.ReadAllText(Path.Combine(cell, QualityCellTrainer.BudgetFileName)), StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    [Fact]
    public void RecipeOf_EveryCommittedCell_MatchesItsGridsBudget()
    {
        string root = Path.GetDirectoryName(typeof(QualityBudgetTests).Assembly.Location)!;
        while (!File.Exists(Path.Combine(root, "Leap.Distributed.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new DirectoryNotFoundException("Leap.Distributed.sln not found above the test assembly.");
        }

        int checkedCells = 0;
        foreach (var (directory, edition) in new[] { ("quality", QualityBudget.V1), ("quality-v2", QualityBudget.V2) })
        {
            foreach (QualityCellResult cell in new QualityResultCache(Path.Combine(root, "docs", "bench", directory)).LoadAll())
            {
                var split = new QualitySplit(cell.Split, 1, 1, 1, QualityRecipe.IsFaceSplit(cell.Split) ? 1 : null);
                QualityRecipe wanted = edition.RecipeFor(split);
                Assert.True(wanted == cell.Recipe, $"{directory}/{cell.Cell}: recorded {cell.Recipe}, budget {wanted}");
                checkedCells++;
            }
        }

        Assert.True(checkedCells >= 100, $"only {checkedCells} committed cells found");
    }
}
