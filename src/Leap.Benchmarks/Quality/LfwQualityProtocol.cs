using Leap.Data;
using Leap.Evaluation;
using Leap.Training.Configuration;
using Leap.Training.Data;

namespace Leap.Benchmarks.Quality;

/// <summary>
/// LFW View 2 (lfw/pairs.txt, 10 folds of 300 + 300 pairs, mutually exclusive in people). For test fold k the
/// threshold is chosen on a validation fold and the training set is every image of the people who appear in the
/// remaining folds' pairs (naturally long-tailed), either whole ("natural") or cut to &lt;H, S&gt; (the H largest
/// people whole, every other one cut to S images, drawn with a fixed seed). The model is scored on fold k's 600 pairs
/// by cosine similarity; accuracy uses the threshold that is best on the validation pairs, so no test label chooses
/// anything, and AUC on fold k needs no threshold. With <see cref="FaceRecipe.ValidationFoldFlip"/> the validation
/// fold is k mod 10 + 1 and its people are kept out of training (eight training folds), so the threshold is chosen on
/// unseen people as the test fold's are; without it (the first grid) the validation pairs are the other nine folds',
/// whose people are the training set, and the threshold fits the training identities rather than new ones. With
/// it an image's embedding is also the sum of its own and its mirror image's features.
/// </summary>
public sealed class LfwQualityProtocol : IQualityProtocol
{
    public const int CutHeadClasses = 100;
    public const int CutSamplesPerTailClass = 2;
    private const long CutSeed = 1;

    private readonly IdentityFolderListing _listing;
    private readonly LfwPairList _pairs;
    private readonly ProtocolImages _images;
    private readonly bool _validationFoldFlip;

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
        _validationFoldFlip = budget.Faces == FaceRecipe.ValidationFoldFlip;
        Description = Summary(budget);
    }

    /// <summary>The metric holding the validation fold's AUC (<see cref="FaceRecipe.ValidationFoldFlip"/> only).</summary>
    public const string ValidationAucMetric = "validationAuc";

    public string Name => "lfw";

    public string Description { get; }

    /// <summary>The protocol in words for a budget (its validation-fold rule and test-time flip).</summary>
    public static string Summary(QualityBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        return budget.Faces == FaceRecipe.ValidationFoldFlip
            ? "LFW View 2, test fold k, validation fold k mod 10 + 1: train on every image of the people in the other eight " +
              "folds' pairs (natural, or the 100 largest people whole and the rest cut to 2 images); test on fold k's 600 pairs " +
              "(cosine of each image's features summed with its mirror image's). Accuracy at the threshold that is best on the " +
              "validation fold's 600 pairs, whose people are not trained on, as the test fold's are not; AUC on fold k."
            : "LFW View 2, fold k: train on every image of the people in the other nine folds' pairs (natural, or the " +
              "100 largest people whole and the rest cut to 2 images); test on fold k's 600 pairs " +
              "(cosine). Accuracy at the threshold that is best on the other nine folds' 5,400 pairs (the training people); AUC on fold k.";
    }

    /// <summary>The fold whose pairs choose test fold <paramref name="testFold"/>'s threshold when a validation fold is kept out: the next one, cyclically.</summary>
    public static int ValidationFoldOf(int testFold, int folds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(testFold, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(testFold, folds);
        return (testFold % folds) + 1;
    }

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
        foreach (VerificationPair pair in PairsOf(TrainingFolds(fold)))
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
        VerificationPair[] test = [.. PairsOf([fold])];
        VerificationPair[] choose = [.. PairsOf(ChoosingFolds(fold))];
        int[] imageIndices = test.Concat(choose).SelectMany(p => new[] { p.First, p.Second }).Distinct().Order().ToArray();
        Dictionary<int, int> rowOf = imageIndices.Select((image, row) => (image, row)).ToDictionary(x => x.image, x => x.row);
        EvaluationImages images = _images.Images(imageIndices);
        Embeddings embeddings = _validationFoldFlip ? Embeddings.Sum(embed(images), embed(new MirroredImages(images))) : embed(images);
        (double[] testScores, bool[] testSame) = Scored(test, rowOf, embeddings);
        (double[] chooseScores, bool[] chooseSame) = Scored(choose, rowOf, embeddings);
        (double threshold, double accuracy) = VerificationThreshold.Transfer(chooseScores, chooseSame, testScores, testSame);
        var metrics = new Dictionary<string, double>
        {
            ["accuracy"] = accuracy,
            ["auc"] = VerificationEvaluator.Auc(VerificationEvaluator.Roc(testScores, testSame)),
            ["threshold"] = threshold,
        };
        if (_validationFoldFlip)
        {
            // The validation fold's AUC: what a recipe may be chosen by without looking at the test fold.
            metrics[ValidationAucMetric] = VerificationEvaluator.Auc(VerificationEvaluator.Roc(chooseScores, chooseSame));
        }

        return metrics;
    }

    public void Dispose() => _images.Dispose();

    /// <summary>The folds whose people are trained on for test fold <paramref name="fold"/>.</summary>
    private IEnumerable<int> TrainingFolds(int fold)
    {
        int? validation = _validationFoldFlip ? ValidationFoldOf(fold, _pairs.Folds) : null;
        return Enumerable.Range(1, _pairs.Folds).Where(k => k != fold && k != validation);
    }

    /// <summary>The folds whose pairs choose test fold <paramref name="fold"/>'s threshold.</summary>
    private IEnumerable<int> ChoosingFolds(int fold) =>
        _validationFoldFlip ? [ValidationFoldOf(fold, _pairs.Folds)] : Enumerable.Range(1, _pairs.Folds).Where(k => k != fold);

    private IEnumerable<VerificationPair> PairsOf(IEnumerable<int> folds)
    {
        int perFold = 2 * _pairs.PairsPerFold;
        var wanted = folds.ToHashSet();
        return _pairs.Pairs.Where((_, i) => wanted.Contains((i / perFold) + 1));
    }

    private static (double[] Scores, bool[] Same) Scored(VerificationPair[] pairs, Dictionary<int, int> rowOf, Embeddings embeddings)
    {
        var remapped = new PairSet(pairs.Select(p => p with { First = rowOf[p.First], Second = rowOf[p.Second] }));
        return (remapped.CosineScores(embeddings), remapped.IsSame());
    }
}
