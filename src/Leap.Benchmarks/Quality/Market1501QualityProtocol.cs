using Leap.Data;
using Leap.Data.Sources;
using Leap.Evaluation;
using Leap.Training.Configuration;
using Leap.Training.Data;
using Leap.Training.EvaluationSets;
using Microsoft.Extensions.Logging.Abstractions;

namespace Leap.Benchmarks.Quality;

/// <summary>
/// Market-1501, the paper's re-ID protocol on ../shared/data/market1501 (a partial copy without query/): training sets
/// &lt;H, S&gt; from bounding_box_train (the H people with most images kept whole, every other person cut to S images,
/// drawn with the fixed seed <see cref="SplitSeed"/>, the same for every cell); test = bounding_box_test with one query
/// per (person, camera) drawn by a fixed seed and the rest as gallery (junk ignored, distractors kept), scored with the
/// Market-1501 rules. Both sides go through the main job's code: <see cref="RunData.FromSource"/> for training and
/// the <c>Evaluation:Sets</c> re-ID set (<see cref="ReIdSet"/>) for the test.
/// </summary>
public sealed class Market1501QualityProtocol : IQualityProtocol
{
    public const long SplitSeed = 1;

    private readonly DataOptions _data;
    private readonly EvaluationSetList _test;

    public Market1501QualityProtocol(string marketDirectory, QualityBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        _data = new DataOptions
        {
            Format = DataFormat.Market1501, Path = marketDirectory, ImageHeight = budget.ReIdHeight, ImageWidth = budget.ReIdWidth, Channels = 3,
            Normalisation = budget.Normalisation, DecodeThreads = budget.Threads,
        };
        var evaluation = new EvaluationOptions { Sets = [new EvaluationSetOptions { Kind = EvaluationSetKind.ReId, Path = marketDirectory, Name = "market" }] };
        _test = EvaluationSetFactory.Open(evaluation, _data);
    }

    public string Name => "market";

    public string Description => Summary;

    public const string Summary =
        "Market-1501 (partial copy, see the data README): training <H, S> from bounding_box_train (the H people with most images whole, " +
        "the rest cut to S, split seed 1 for every cell); query = one image per (person, camera) of bounding_box_test drawn with a fixed seed, " +
        "gallery = the rest (junk ignored, distractors kept); cosine distance, Market-1501 CMC/mAP rules. Not comparable to published " +
        "Market-1501 numbers (fewer images, no official query set); differences between methods on the same split are.";

    public IReadOnlyList<QualitySplit> Splits => AllSplits;

    /// <summary>The paper's re-ID splits, the tail-heaviest first: &lt;H20, S3&gt;, &lt;H20, S5&gt;, &lt;H100, S5&gt;; T = S.</summary>
    public static IReadOnlyList<QualitySplit> AllSplits { get; } =
        [.. new[] { (20, 3), (20, 5), (100, 5) }.Select(hs => new QualitySplit($"market-H{hs.Item1}-S{hs.Item2}", hs.Item1, hs.Item2, hs.Item2))];

    public RunData OpenTraining(QualitySplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        IImageSource source = ImageSourceFactory.OpenTraining(_data, NullLogger.Instance);
        var options = new LongTailOptions(split.HeadClasses ?? source.ClassCount, split.HeadClasses is null ? 0 : null, split.SamplesPerTailClass, SplitSeed);
        return RunData.FromSource(new TrainingOptions { Data = _data }, source, source.Labels.ToArray(), options);
    }

    public IReadOnlyDictionary<string, double> Evaluate(QualitySplit split, Func<IImageCollection, Embeddings> embed)
    {
        IReadOnlyDictionary<string, double> metrics = _test[0].Evaluate(embed);
        return new Dictionary<string, double>
        {
            ["rank1"] = metrics["rank1"],
            ["rank5"] = metrics["rank5"],
            ["rank10"] = metrics["rank10"],
            ["mAP"] = metrics["map"],
        };
    }

    public void Dispose() => _test.Dispose();
}
