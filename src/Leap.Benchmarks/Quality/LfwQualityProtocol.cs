using Leap.Data;
using Leap.Evaluation;
using Leap.Training.Configuration;
using Leap.Training.Data;

namespace Leap.Benchmarks.Quality;

/// <summary>
/// LFW View 2 (lfw/pairs.txt, 10 identity-disjoint folds of 300 + 300 pairs). For test fold k the training set is
/// every image of the people who appear in the other nine folds' pairs (about 3.8k people, 10.5k images, naturally
/// long-tailed), either whole ("natural") or cut to &lt;H, S&gt; (the H largest people whole, every other one cut
/// to S images, drawn with a fixed seed). The model is scored on fold k's 600 pairs by cosine similarity; the
/// reported accuracy uses the threshold that is best on the other nine folds' 5,400 pairs (scored by the same
/// model), so no test label chooses anything. AUC on fold k's pairs needs no threshold.
/// </summary>
public sealed class LfwQualityProtocol : IQualityProtocol
{
    public const int CutHeadClasses = 100;
    public const int CutSamplesPerTailClass = 2;
    private const long CutSeed = 1;

    private readonly IdentityFolderListing _listing;
    private readonly LfwPairList _pairs;
    private readonly ProtocolImages _images;
    private readonly int[] _pairImageIndices;
    private readonly Dictionary<int, int> _rowOfPairImage;

    public LfwQualityProtocol(string lfwDirectory, IReadOnlyList<int> folds, QualityBudget budget)
    {
        ArgumentNullException.ThrowIfNull(folds);
        ArgumentNullException.ThrowIfNull(budget);
        _listing = IdentityFolderListing.Read(lfwDirectory);
        var byKey = new Dictionary<LfwImageKey, int>();
        for (int i = 0; i < _listing.Images.Count; i++)
        {
            byKey[LfwImageKey.FromPath(_listing.Images[i].Path)] = i;
        }

        _pairs = LfwPairsParser.ParseFile(Path.Combine(lfwDirectory, "pairs.txt"),
            key => byKey.TryGetValue(key, out int index) ? index : throw new InvalidDataException($"pairs.txt names {key}, which is not under {lfwDirectory}."));
        foreach (int fold in folds)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(fold, 1, nameof(folds));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(fold, _pairs.Folds, nameof(folds));
        }

        Splits = SplitsFor(folds);
        var data = new DataOptions
        {
            Format = DataFormat.ImageFolder, Path = lfwDirectory, ImageHeight = budget.FaceSize, ImageWidth = budget.FaceSize, Channels = 3,
            Normalisation = budget.Normalisation, DecodeThreads = budget.Threads,
        };
        _images = new ProtocolImages(_listing, data, centreCrop: 112);
        _pairImageIndices = _pairs.Pairs.SelectMany(p => new[] { p.First, p.Second }).Distinct().Order().ToArray();
        _rowOfPairImage = _pairImageIndices.Select((image, row) => (image, row)).ToDictionary(x => x.image, x => x.row);
    }

    public string Name => "lfw";

    public string Description => Summary;

    public const string Summary =
        "LFW View 2, fold k: train on every image of the people in the other nine folds' pairs (natural, or the " +
        "100 largest people whole and the rest cut to 2 images); test on fold k's 600 pairs " +
        "(cosine). Accuracy at the threshold that is best on the other nine folds' 5,400 pairs; AUC on fold k.";

    public IReadOnlyList<QualitySplit> Splits { get; }

    /// <summary>The training splits of the given 1-based test folds: natural, then the &lt;H, S&gt; cut, per fold.</summary>
    public static IReadOnlyList<QualitySplit> SplitsFor(IEnumerable<int> folds) => folds.SelectMany(k => new[]
    {
        new QualitySplit($"lfw-fold{k:00}-natural", null, 1, 5, k),
        new QualitySplit($"lfw-fold{k:00}-H{CutHeadClasses}-S{CutSamplesPerTailClass}", CutHeadClasses, CutSamplesPerTailClass, CutSamplesPerTailClass, k),
    }).ToArray();

    public RunData OpenTraining(QualitySplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        int fold = split.Fold ?? throw new ArgumentException($"Split {split.Name} has no fold.", nameof(split));
        var people = new SortedSet<int>();
        foreach (VerificationPair pair in OtherFolds(fold))
        {
            people.Add(_listing.Images[pair.First].ClassId);
            people.Add(_listing.Images[pair.Second].ClassId);
        }

        int[] labels = _listing.Images.Select(i => people.Contains(i.ClassId) ? i.ClassId : LongTailSplitBuilder.HeldOut).ToArray();
        var options = new LongTailOptions(split.HeadClasses ?? people.Count, split.HeadClasses is null ? 0 : null, split.SamplesPerTailClass, CutSeed);
        return _images.OpenTraining(labels, options);
    }

    public IReadOnlyDictionary<string, double> Evaluate(QualitySplit split, Func<IImageCollection, Embeddings> embed)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(embed);
        int fold = split.Fold ?? throw new ArgumentException($"Split {split.Name} has no fold.", nameof(split));
        Embeddings embeddings = embed(_images.Images(_pairImageIndices));
        var remapped = new PairSet(_pairs.Pairs.Select(p => p with { First = _rowOfPairImage[p.First], Second = _rowOfPairImage[p.Second] }));
        double[] scores = remapped.CosineScores(embeddings);
        bool[] same = remapped.IsSame();
        int perFold = 2 * _pairs.PairsPerFold;
        int testStart = (fold - 1) * perFold;
        double[] testScores = scores[testStart..(testStart + perFold)];
        bool[] testSame = same[testStart..(testStart + perFold)];
        double[] chooseScores = [.. scores[..testStart], .. scores[(testStart + perFold)..]];
        bool[] chooseSame = [.. same[..testStart], .. same[(testStart + perFold)..]];
        (double threshold, double accuracy) = VerificationThreshold.Transfer(chooseScores, chooseSame, testScores, testSame);
        return new Dictionary<string, double>
        {
            ["accuracy"] = accuracy,
            ["auc"] = VerificationEvaluator.Auc(VerificationEvaluator.Roc(testScores, testSame)),
            ["threshold"] = threshold,
        };
    }

    public void Dispose() => _images.Dispose();

    private IEnumerable<VerificationPair> OtherFolds(int fold)
    {
        int perFold = 2 * _pairs.PairsPerFold;
        return _pairs.Pairs.Where((_, i) => i / perFold != fold - 1);
    }
}
