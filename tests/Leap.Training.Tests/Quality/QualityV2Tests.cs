using System.Globalization;
using Leap.Benchmarks.Quality;
using Leap.Core.Margins;
using Leap.Data.Synthetic;
using Leap.Evaluation;
using Leap.Training.Data;
using Leap.Training.Configuration;
using Leap.Training.Modeling;
using Microsoft.Extensions.Logging.Abstractions;

namespace Leap.Training.Tests.Quality;

/// <summary>The second quality grid: the paper's recipe in the cell options, the Market-1501 protocol end to end, curves and the report's new sections.</summary>
public sealed class QualityV2Tests : IDisposable
{
    private static readonly QualitySplit Faces = new("lfw-fold01-natural", null, 1, 5, Fold: 1);
    private static readonly QualitySplit Market = new("market-H2-S2", 2, 2, 2);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-quality-v2-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Options_V2_PaperMarginsPerTaskAdamImageNetAndRefreshEvery5()
    {
        var trainer = new QualityCellTrainer(QualityBudget.V2, "scratch", NullLoggerFactory.Instance);

        TrainingOptions arcReId = trainer.Options(Market, QualityMethod.Parse("LEAP-AF"), seed: 1);
        TrainingOptions cosFaces = trainer.Options(Faces, QualityMethod.Parse("CosFace"), seed: 1);
        TrainingOptions arcFaces = trainer.Options(Faces, QualityMethod.Parse("ArcFace"), seed: 1);

        Assert.Equal((MarginKind.ArcFace, 16.0, 0.2), (arcReId.Loss.Margin, arcReId.Loss.Scale, arcReId.Loss.MarginValue));
        Assert.Equal((64.0, 0.35), (cosFaces.Loss.Scale, cosFaces.Loss.MarginValue));
        Assert.Equal((64.0, 0.5), (arcFaces.Loss.Scale, arcFaces.Loss.MarginValue));
        Assert.Equal(OptimizerKind.Adam, arcReId.Optimizer.Kind);
        Assert.Equal(3.5e-4, arcReId.Optimizer.LearningRate);
        Assert.Equal((BackboneKind.ResNet18, PretrainedWeights.ImageNet, 512), (arcReId.Model.Backbone, arcReId.Model.Pretrained, arcReId.Model.EmbeddingDimension));
        Assert.Equal(5, arcReId.Leap.RefreshInterval);
        Assert.Equal(ImageNormalisation.ImageNet, QualityBudget.V2.Normalisation);
        Assert.Contains("ResNet18 (ImageNet-initialised)", QualityBudget.V2.Describe(Market), StringComparison.Ordinal);
        Assert.Contains("random flip + pad-crop 10", QualityBudget.V2.Describe(Market), StringComparison.Ordinal);
        // Faces: flip in training (and at test, in the protocol), threshold on a validation fold.
        Assert.True(cosFaces.Augmentation.HorizontalFlip);
        Assert.Equal(8, cosFaces.Augmentation.PadCrop);
        Assert.Equal(new QualityRecipe(600, "random flip + pad-crop 8", "faces 112x112"), QualityBudget.V2.RecipeFor(Faces));
        Assert.Equal(new QualityRecipe(600, QualityRecipe.FlipOnly, "faces 112x112"), (QualityBudget.V2 with { FacePadCrop = 0 }).RecipeFor(Faces));
        Assert.Equal(FaceRecipe.ValidationFoldFlip, QualityBudget.V2.Faces);
        Assert.Equal(FaceRecipe.NineFoldThreshold, QualityBudget.V1.Faces);
        Assert.Equal(QualityRecipe.NoAugmentation, QualityBudget.V1.RecipeFor(Faces).Augmentation);
    }

    [Fact]
    public void Options_V1_KeepsTheFirstGridsRecipe()
    {
        var options = new QualityCellTrainer(QualityBudget.V1, "scratch", NullLoggerFactory.Instance).Options(Market, QualityMethod.Parse("ArcFace"), seed: 1);

        Assert.Equal((24.0, 0.3), (options.Loss.Scale, options.Loss.MarginValue));
        Assert.Equal(OptimizerKind.Sgd, options.Optimizer.Kind);
        Assert.Equal(PretrainedWeights.None, options.Model.Pretrained);
        Assert.Equal(1, options.Leap.RefreshInterval);
    }

    [Fact]
    public void RecordsCurve_OnlyBaselinesFirstSeed()
    {
        var trainer = new QualityCellTrainer(QualityBudget.V2, "scratch", NullLoggerFactory.Instance);

        Assert.True(trainer.RecordsCurve(QualityMethod.Parse("CosFace"), 1));
        Assert.False(trainer.RecordsCurve(QualityMethod.Parse("CosFace"), 2));
        Assert.False(trainer.RecordsCurve(QualityMethod.Parse("LEAP-CF"), 1));
        Assert.False(new QualityCellTrainer(QualityBudget.V1, "scratch", NullLoggerFactory.Instance).RecordsCurve(QualityMethod.Parse("CosFace"), 1));
    }

    [Fact]
    public void DetectableDifference_IsPowerAndSignificanceQuantilesTimesTheStandardError()
    {
        // d = (1, 2, 4, 5): sd = sqrt(10/3), SE = 0.9129; (t_0.975,3 + t_0.80,3) = 3.182 + 0.978.
        var c = PairedSeedComparison.Of(new Dictionary<long, double> { [1] = 0, [2] = 0, [3] = 0, [4] = 0 }, new Dictionary<long, double> { [1] = 1, [2] = 2, [3] = 4, [4] = 5 })!;

        Assert.Equal(4.160 * Math.Sqrt(10.0 / 3) / 2, c.DetectableDifference, 1e-9);
    }

    [Fact]
    public void MarketCell_TrainsThroughTheMainDataPath_RecordsCurveAndSpread()
    {
        string market = WriteMarketLike(Path.Combine(_root, "market1501"));
        var budget = QualityBudget.V1 with { ReIdSteps = 6, BatchSize = 8, ReIdHeight = 32, ReIdWidth = 16, EmbeddingDimension = 16, Threads = 1, CurvePoints = 3 };
        using var protocol = new Market1501QualityProtocol(market, budget);
        using var trainSet = protocol.OpenTraining(Market);
        var trainer = new QualityCellTrainer(budget, Path.Combine(_root, "scratch"), NullLoggerFactory.Instance);

        QualityCellResult result = trainer.Run(protocol, Market, trainSet, QualityMethod.Parse("CosFace"), seed: 1);

        // 6 people with 6..11 images: the 2 largest whole (11 + 10), the other 4 cut to 2.
        Assert.Equal(11 + 10 + (4 * 2), result.TrainImages);
        Assert.Equal(6, result.TrainClasses);
        Assert.Equal(new long[] { 2, 4, 6 }, result.Curve!.Select(p => p.Step));
        Assert.All(result.Curve!, p => Assert.InRange(p.Metrics["rank1"], 0, 1));
        Assert.Equal(result.Metrics["rank1"], result.Curve![^1].Metrics["rank1"]);
        Assert.InRange(result.Metrics["mAP"], 0, 1);
        Assert.Equal((2, 4), (result.Spread!.HeadClasses, result.Spread.TailClasses));
        Assert.True(result.Spread.Head > 0 && result.Spread.Tail > 0);
        Assert.True(double.IsFinite(result.Curve![0].Loss));
    }

    [Fact]
    public void MarketCell_StoppedAfterACheckpoint_ResumesThereAndEndsAsAnUninterruptedCell()
    {
        string market = WriteMarketLike(Path.Combine(_root, "market1501"));
        var budget = QualityBudget.V1 with { ReIdSteps = 6, BatchSize = 8, ReIdHeight = 32, ReIdWidth = 16, EmbeddingDimension = 16, Threads = 1, CurvePoints = 3 };
        using var protocol = new Market1501QualityProtocol(market, budget);
        using var trainSet = protocol.OpenTraining(Market);
        var method = QualityMethod.Parse("CosFace");
        var straight = new QualityCellTrainer(budget, Path.Combine(_root, "straight"), NullLoggerFactory.Instance, checkpointEverySteps: 2)
            .Run(protocol, Market, trainSet, method, seed: 1);
        var trainer = new QualityCellTrainer(budget, Path.Combine(_root, "stopped"), NullLoggerFactory.Instance, checkpointEverySteps: 2);
        using var stop = new CancellationTokenSource();
        // The curve's first point (step 2) asks for the stop, as Ctrl-C or a killed process would after a checkpoint.
        using var stopping = new StopOnFirstEvaluation(protocol, stop);

        Assert.Throws<OperationCanceledException>(() => trainer.Run(stopping, Market, trainSet, method, seed: 1, stop.Token));
        string cell = trainer.CellDirectory(Market, method, 1);
        Assert.True(Directory.Exists(Path.Combine(cell, "checkpoints", "step-000000002")));
        QualityCellResult resumed = trainer.Run(protocol, Market, trainSet, method, seed: 1);

        Assert.Equal(new long[] { 2 }, resumed.ResumedAtSteps);
        Assert.Null(straight.ResumedAtSteps);
        Assert.Equal(straight.Curve!.Select(p => p.Step), resumed.Curve!.Select(p => p.Step));
        Assert.Equal(straight.Curve![0].Metrics["rank1"], resumed.Curve![0].Metrics["rank1"]);
        Assert.Equal(straight.Curve![1].Loss, resumed.Curve![1].Loss, 1e-4);
        Assert.Equal(straight.Metrics["mAP"], resumed.Metrics["mAP"], 1e-4);
        Assert.True(resumed.TrainSeconds > 0);
        // Scored, not yet saved: the checkpoints stay until the caller has the result in the cache.
        Assert.True(Directory.Exists(cell));
        trainer.DiscardCheckpoints(Market, method, 1);
        Assert.False(Directory.Exists(cell));
    }

    /// <summary>The protocol, except that its first evaluation also cancels the run.</summary>
    private sealed class StopOnFirstEvaluation(IQualityProtocol inner, CancellationTokenSource stop) : IQualityProtocol
    {
        public string Name => inner.Name;

        public string Description => inner.Description;

        public IReadOnlyList<QualitySplit> Splits => inner.Splits;

        public RunData OpenTraining(QualitySplit split) => inner.OpenTraining(split);

        public IReadOnlyDictionary<string, double> Evaluate(QualitySplit split, Func<IImageCollection, Embeddings> embed)
        {
            stop.Cancel();
            return inner.Evaluate(split, embed);
        }

        public void Dispose()
        {
        }
    }

    [Fact]
    public void Render_V2_BaselineNextToThePaperDetectableDifferenceAndSpread()
    {
        var split = new QualitySplit("market-H20-S5", 20, 5, 5);
        var grid = new QualityGrid([split], [QualityMethod.Parse("CosFace"), QualityMethod.Parse("LEAP-CF")], [1, 2, 3]);
        var budget = QualityBudget.V2;
        QualityCellResult Result(string method, long seed, double rank1) => new(split.Name, method, seed, budget.ReIdSteps, 100, 10, 1.5, DateTimeOffset.UnixEpoch,
            new Dictionary<string, double> { ["rank1"] = rank1, ["mAP"] = rank1 / 2 }, budget.Describe(split), null, new QualitySpread(0.5, 0.25, 20, 80));
        QualityCellResult[] results =
        [
            Result("CosFace", 1, 0.50), Result("CosFace", 2, 0.52), Result("CosFace", 3, 0.51),
            Result("LEAP-CF", 1, 0.52), Result("LEAP-CF", 2, 0.55), Result("LEAP-CF", 3, 0.54),
        ];

        string md = QualityReportWriter.Render(grid, results, "cmd", "data", budget, "img/quality-curves.png");

        Assert.Contains("| market-H20-S5 | CosFace | rank1 | 51.00 ± 1.00 (n = 3) | 78.6 |", md, StringComparison.Ordinal);
        // d = (2, 3, 3): SE 0.33, detectable (4.303 + 1.061) x 0.333 = 1.79.
        Assert.Contains("| market-H20-S5 | rank1 | +2.67 ± 0.33 (t = +8.0, n = 3: better); detectable 1.79 |", md, StringComparison.Ordinal);
        Assert.Contains("| market-H20-S5 | LEAP-CF | 3 | 0.500 | 0.250 | 0.50 |", md, StringComparison.Ordinal);
        Assert.Contains("![Learning curves of the baselines](img/quality-curves.png)", md, StringComparison.Ordinal);
        Assert.Contains("Adam lr 0.00035", md, StringComparison.Ordinal);
        Assert.DoesNotContain("1f5715c", md, StringComparison.Ordinal);
        Assert.DoesNotContain("LFW has no row", md, StringComparison.Ordinal);
        string withFaces = QualityReportWriter.Render(grid with { Splits = [split, Faces] }, results, "cmd", "data", budget, null);
        Assert.Contains("LFW has no row: the paper trains its face models on MS-Celeb-1M splits", withFaces, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_H20S3_DecidesThePapersGain_SignificantAbsentOrUndecided()
    {
        var split = new QualitySplit("market-H20-S3", 20, 3, 3);
        var budget = QualityBudget.V2;
        QualityCellResult Result(string method, long seed, double rank1) => new(split.Name, method, seed, budget.ReIdSteps, 100, 10, 1.5, DateTimeOffset.UnixEpoch,
            new Dictionary<string, double> { ["rank1"] = rank1, ["mAP"] = rank1 / 2 }, budget.Describe(split));
        string Decide(double[] baseline, double[] leap)
        {
            var grid = new QualityGrid([split], [QualityMethod.Parse("CosFace"), QualityMethod.Parse("LEAP-CF")], [1, 2, 3]);
            var results = baseline.Select((v, i) => Result("CosFace", i + 1, v)).Concat(leap.Select((v, i) => Result("LEAP-CF", i + 1, v))).ToArray();
            string md = QualityReportWriter.Render(grid, results, "cmd", "data", budget);
            return md.Split('\n').Single(l => l.StartsWith("- **Decision, market-H20-S3 rank1, LEAP-CF - CosFace**", StringComparison.Ordinal));
        }

        // d = (2, 3, 3): significant.
        Assert.Contains("LEAP's gain is significant: +2.67 ± 0.33 points (n = 3), 95 % interval [+1.23, +4.10], against +11.7 in the paper", Decide([0.50, 0.52, 0.51], [0.52, 0.55, 0.54]), StringComparison.Ordinal);
        // d = (1, -1, 1): SE 0.67, interval 0.33 ± 4.303 x 0.67 = [-2.54, +3.20], below 11.7: absent.
        Assert.Contains("the paper's gain is absent here: +0.33 ± 0.67 points (n = 3), 95 % interval [-2.54, +3.20] is not significant and excludes +11.7", Decide([0.50, 0.52, 0.51], [0.51, 0.51, 0.52]), StringComparison.Ordinal);
        // d = (5, 9, 13): SE 2.31, t = 3.9 < 4.303, interval [-0.94, +18.94] holds 11.7: undecided, not absent.
        Assert.Contains("undecided: +9.00 ± 2.31 points (n = 3), 95 % interval [-0.94, +18.94] holds both 0 and +11.7", Decide([0.50, 0.50, 0.50], [0.55, 0.59, 0.63]), StringComparison.Ordinal);
        // The same difference on every seed: no spread, no test.
        Assert.Contains("undecided: +15.00 points on every one of 3 seeds leaves no spread to test", Decide([0.50, 0.50, 0.50], [0.65, 0.65, 0.65]), StringComparison.Ordinal);
        Assert.Contains("fewer than two paired seeds yet", Decide([0.50], [0.55]), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NaturalSplitWithoutTailClasses_ShowsTheHeadSpreadAndNoTail()
    {
        var split = new QualitySplit("lfw-fold01-natural", null, 0, 0, Fold: 1);
        var grid = new QualityGrid([split], [QualityMethod.Parse("CosFace")], [1]);
        var budget = QualityBudget.V2;
        var result = new QualityCellResult(split.Name, "CosFace", 1, budget.Steps, 100, 10, 1.5, DateTimeOffset.UnixEpoch,
            new Dictionary<string, double> { ["accuracy"] = 0.86, ["auc"] = 0.92 }, budget.Describe(split), null, new QualitySpread(0.41, double.NaN, 3846, 0));

        string md = QualityReportWriter.Render(grid, [result], "cmd", "data", budget, null);

        Assert.Contains("| lfw-fold01-natural | CosFace | 1 | 0.410 | — (no tail classes) | — |", md, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_RemainingTime_FromTheNewestThreeCellsPace()
    {
        var split = new QualitySplit("market-H20-S5", 20, 5, 5);
        var grid = new QualityGrid([split], [QualityMethod.Parse("CosFace"), QualityMethod.Parse("LEAP-CF")], [1, 2, 3]);
        var budget = QualityBudget.V2;
        // Two old slow cells (3,600 s), then three fast ones (600, 900, 660 s): the estimate follows the fast ones.
        QualityCellResult Result(string method, long seed, double seconds, int hour) => new(split.Name, method, seed, budget.ReIdSteps, 100, 10, seconds,
            new DateTimeOffset(2026, 12, 5, hour, 0, 0, TimeSpan.Zero), new Dictionary<string, double> { ["rank1"] = 0.4, ["mAP"] = 0.2 }, budget.Describe(split));
        QualityCellResult[] results =
        [
            Result("CosFace", 1, 3600, 1), Result("LEAP-CF", 1, 3600, 2),
            Result("CosFace", 2, 600, 3), Result("LEAP-CF", 2, 900, 4), Result("CosFace", 3, 660, 5),
        ];

        string md = QualityReportWriter.Render(grid, results, "cmd", "data", budget, null);

        Assert.Contains("so the missing cell needs about 0.2 h of training more (market: 1 at 11.0 min, the median of its newest 3 cells), plus loading", md, StringComparison.Ordinal);
    }

    /// <summary>6 training people (ids 1-6, 6..11 images over 2 cameras) and 4 test people with 3 images per camera.</summary>
    private static string WriteMarketLike(string root)
    {
        string train = Path.Combine(root, "bounding_box_train");
        string test = Path.Combine(root, "bounding_box_test");
        Directory.CreateDirectory(train);
        Directory.CreateDirectory(test);
        for (int person = 1; person <= 6; person++)
        {
            for (int shot = 0; shot < 5 + person; shot++)
            {
                Write(train, person, 1 + (shot % 2), shot);
            }
        }

        for (int person = 7; person <= 10; person++)
        {
            for (int camera = 1; camera <= 2; camera++)
            {
                for (int shot = 0; shot < 3; shot++)
                {
                    Write(test, person, camera, shot);
                }
            }
        }

        return root;
    }

    private static void Write(string folder, int person, int camera, int shot) =>
        File.WriteAllBytes(Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{person:0000}_c{camera}s1_{shot:000000}_00.png")),
            SyntheticIdentities.Draw(person, shot + (10 * camera), 24, 5));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
