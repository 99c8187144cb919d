
using Leap.Benchmarks.Quality;

namespace Leap.Training.Tests.Quality;

public sealed class QualityResultCacheTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-quality-cache-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void GetOrRun_CellAlreadyCached_DoesNotRunAgain()
    {
        var cache = new QualityResultCache(_root);
        var cell = new QualityCell("cuhk03-H100-S5", "LEAP-CF", 2);
        int runs = 0;

        var (first, firstComputed) = cache.GetOrRun(cell, Plain(600), () => { runs++; return Result(cell, 600, 0.25); });
        var (second, secondComputed) = cache.GetOrRun(cell, Plain(600), () => { runs++; return Result(cell, 600, 0.99); });

        Assert.Equal(1, runs);
        Assert.True(firstComputed);
        Assert.False(secondComputed);
        Assert.Equal(0.25, second.Metrics["rank1"]);
        Assert.True(File.Exists(Path.Combine(_root, "cuhk03-H100-S5", "LEAP-CF", "seed-2.json")));
    }

    [Fact]
    public void Save_NaturalSplitWithoutTailClasses_KeepsItsNaNTailSpread()
    {
        // A natural split has no tail classes: the tail spread is NaN, which plain JSON numbers cannot hold.
        var cache = new QualityResultCache(_root);
        var cell = new QualityCell("lfw-fold01-natural", "CosFace", 1);
        var result = Result(cell, 600, 0.9) with { Spread = new QualitySpread(0.41, double.NaN, 3846, 0) };

        cache.Save(result);
        var loaded = cache.TryLoad(cell, new QualityRecipe(600, QualityRecipe.NoAugmentation, "faces 40x40"))!;

        Assert.Equal(0.41, loaded.Spread!.Head);
        Assert.True(double.IsNaN(loaded.Spread.Tail));
        Assert.Equal(0, loaded.Spread.TailClasses);
    }

    [Fact]
    public void GetOrRun_CachedWithAnotherStepBudget_RunsAgain()
    {
        var cache = new QualityResultCache(_root);
        var cell = new QualityCell("cuhk03-H100-S3", "CosFace", 1);
        cache.Save(Result(cell, 100, 0.5));

        var (result, computed) = cache.GetOrRun(cell, Plain(600), () => Result(cell, 600, 0.7));

        Assert.True(computed);
        Assert.Equal(600, result.Steps);
        Assert.Equal(600, cache.TryLoad(cell, Plain(600))!.Steps);
    }

    [Fact]
    public void GetOrRun_CachedWithoutAugmentation_RunsAgainForAnAugmentedRecipe()
    {
        var cache = new QualityResultCache(_root);
        var cell = new QualityCell("cuhk03-H100-S5", "CosFace", 1);
        cache.Save(Result(cell, 1000, 0.02));
        var augmented = new QualityRecipe(1000, "random flip + pad-crop 4", "re-ID 32x64");

        var (result, computed) = cache.GetOrRun(cell, augmented, () => Result(cell, 1000, 0.1, "1000 steps x batch 64, re-ID 32x64 RGB, random flip + pad-crop 4, 2 threads"));

        Assert.True(computed);
        Assert.Equal(augmented, result.Recipe);
        Assert.Equal(0.1, cache.TryLoad(cell, augmented)!.Metrics["rank1"]);
        Assert.Null(cache.TryLoad(cell, Plain(1000)));
        Assert.Equal(Plain(600), Result(cell, 600, 0.1, "600 steps x batch 64, SmallCnn, D = 128, faces 40x40 RGB, re-ID 32x64 RGB, 2 threads").Recipe);
    }

    [Fact]
    public void LoadAll_TruncatedFileAmongResults_IgnoresIt()
    {
        var cache = new QualityResultCache(_root);
        var cell = new QualityCell("s", "ArcFace", 1);
        cache.Save(Result(cell, 10, 0.1));
        string broken = Path.Combine(_root, "s", "LEAP-AF", "seed-1.json");
        Directory.CreateDirectory(Path.GetDirectoryName(broken)!);
        File.WriteAllText(broken, "{\"Split\": \"s\", \"Meth");

        var all = cache.LoadAll();

        Assert.Equal([cell], all.Select(r => r.Cell));
        Assert.Null(cache.TryLoad(new QualityCell("s", "LEAP-AF", 1), Plain(10)));
    }

    [Fact]
    public void Run_GridWithSomeCellsCached_TrainsOnlyTheMissingOnesAndLoadsOnlyTheirSplits()
    {
        var cache = new QualityResultCache(_root);
        var splits = new[] { new QualitySplit("lfw-a", 10, 5, 5, Fold: 1), new QualitySplit("lfw-b", 10, 4, 4, Fold: 2) };
        var methods = new[] { QualityMethod.Parse("CosFace"), QualityMethod.Parse("LEAP-CF") };
        var grid = new QualityGrid(splits, methods, [1, 2]);
        foreach (QualityCell cell in grid.CellsOf(splits[0]))
        {
            cache.Save(Result(cell, 50, 0.5));
        }

        cache.Save(Result(new QualityCell("lfw-b", "CosFace", 1), 50, 0.5));
        var protocol = new FakeProtocol();
        var trained = new List<QualityCell>();
        var saved = new List<QualityCell>();
        int reports = 0;
        var benchmark = new QualityBenchmark(cache, _ => protocol, (_, split, _, method, seed, _) =>
        {
            var cell = new QualityCell(split.Name, method.Name, seed);
            trained.Add(cell);
            return Result(cell, 50, 0.9);
        }, new QualityBudget(Steps: 50), () => reports++, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
            (split, method, seed) =>
            {
                // Only once the result is in the cache may the trainer's checkpoints go.
                Assert.True(File.Exists(Path.Combine(_root, split.Name, method.Name, $"seed-{seed}.json")));
                saved.Add(new QualityCell(split.Name, method.Name, seed));
            });

        int computed = benchmark.Run(grid);

        Assert.Equal(trained, saved);
        Assert.Equal(3, computed);
        Assert.Equal([new QualityCell("lfw-b", "LEAP-CF", 1), new QualityCell("lfw-b", "CosFace", 2), new QualityCell("lfw-b", "LEAP-CF", 2)], trained);
        Assert.Equal(["lfw-b"], protocol.Loaded);
        Assert.Equal(3, reports);
        Assert.Equal(0, new QualityBenchmark(cache, _ => protocol, (_, _, _, _, _, _) => throw new InvalidOperationException("recomputed"), new QualityBudget(Steps: 50), () => { }, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).Run(grid));
    }

    [Fact]
    public void Render_PartialGrid_ReportsMeanStdAndListsMissingCells()
    {
        var split = new QualitySplit("lfw-fold01-H100-S5", 100, 5, 5, Fold: 1);
        var grid = new QualityGrid([split], [QualityMethod.Parse("CosFace"), QualityMethod.Parse("LEAP-CF")], [1, 2]);
        QualityCellResult[] results =
        [
            Result(new QualityCell(split.Name, "CosFace", 1), 600, 0.40),
            Result(new QualityCell(split.Name, "CosFace", 2), 600, 0.50),
            Result(new QualityCell(split.Name, "LEAP-CF", 1), 600, 0.60),
        ];

        string md = QualityReportWriter.Render(grid, results, "leap bench quality --seeds 2", "../shared/data", new QualityBudget(Steps: 600));

        Assert.Contains("| CosFace | 2 | 45.00 ± 7.07 |", md, StringComparison.Ordinal);
        Assert.Contains("| LEAP-CF | 1 | 60.00 |", md, StringComparison.Ordinal);
        Assert.Contains("- lfw-fold01-H100-S5, seed 2: LEAP-CF", md, StringComparison.Ordinal);
    }

    private static QualityRecipe Plain(long steps) => new(steps, QualityRecipe.NoAugmentation, "re-ID 32x64");

    private static QualityCellResult Result(QualityCell cell, long steps, double rank1, string budget = "test budget, faces 40x40 RGB, re-ID 32x64 RGB") =>
        new(cell.Split, cell.Method, cell.Seed, steps, 100, 10, 1.5, DateTimeOffset.UnixEpoch, new Dictionary<string, double> { ["rank1"] = rank1 }, budget);

    private sealed class FakeProtocol : IQualityProtocol
    {
        public List<string> Loaded { get; } = [];
        public string Name => "fake";
        public string Description => "fake";
        public IReadOnlyList<QualitySplit> Splits => [];

        public Leap.Training.Data.RunData OpenTraining(QualitySplit split)
        {
            Loaded.Add(split.Name);
            var options = new Leap.Training.Configuration.TrainingOptions
            {
                Data = { Format = Leap.Training.Configuration.DataFormat.ImageFolder, ImageHeight = 2, ImageWidth = 2 },
            };
            var source = new Leap.Data.Sources.EncodedImageSource([[0]], new Leap.Data.Images.ImageDecoder(), "one image");
            return Leap.Training.Data.RunData.FromSource(options, source, [0], new Leap.Data.LongTailOptions(1, 0, 1, 0));
        }

        public IReadOnlyDictionary<string, double> Evaluate(QualitySplit split, Func<Leap.Training.Data.IImageCollection, Leap.Evaluation.Embeddings> embed) =>
            throw new NotSupportedException();

        public void Dispose()
        {
        }
    }
}
