using System.Globalization;
using Leap.Core.Augmentation;
using Leap.Data;
using Leap.Evaluation;
using Leap.Evaluation.ReId;
using Leap.Training.Configuration;
using Leap.Training.Data;

namespace Leap.Benchmarks.Quality;

/// <summary>
/// CUHK03 (detected, identity folders <c>IIII/IIII_JJ.jpg</c>, JJ 00-04 camera A, 05-09 camera B). A seeded
/// identity split in the style of the "new protocol": 767 training and 700 test people (seed
/// <see cref="IdentitySplitSeed"/>, fixed for every cell). Training sets &lt;H, S&gt;: the H training people with most
/// images whole, the others cut to S. Query = camera-A images of the test people, gallery = their camera-B images;
/// CMC rank-1/5/10 and mAP by <see cref="ReIdEvaluator"/> (Market-1501 rules) on cosine distance.
/// </summary>
public sealed class Cuhk03QualityProtocol : IQualityProtocol
{
    public const int TrainingIdentities = 767;
    public const int HeadClasses = 100;
    public const long IdentitySplitSeed = 1;

    private readonly IdentityFolderListing _listing;
    private readonly int[] _trainingPeople;
    private readonly int[] _testImages;
    private readonly ProtocolImages _images;

    public Cuhk03QualityProtocol(string cuhk03Directory, QualityBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        _listing = IdentityFolderListing.Read(cuhk03Directory);
        int people = _listing.ClassNames.Count;
        if (people <= TrainingIdentities)
        {
            throw new InvalidDataException($"{cuhk03Directory} holds {people} people; the split needs more than {TrainingIdentities}.");
        }

        ulong key = CounterNormal.Mix(unchecked((ulong)IdentitySplitSeed));
        int[] shuffled = Enumerable.Range(0, people).OrderBy(c => CounterNormal.Mix(key ^ (ulong)c)).ThenBy(c => c).ToArray();
        _trainingPeople = [.. shuffled[..TrainingIdentities].Order()];
        var test = shuffled[TrainingIdentities..].ToHashSet();
        _testImages = Enumerable.Range(0, _listing.Images.Count).Where(i => test.Contains(_listing.Images[i].ClassId)).ToArray();
        var data = new DataOptions
        {
            Format = DataFormat.ImageFolder, Path = cuhk03Directory, ImageHeight = budget.ReIdHeight, ImageWidth = budget.ReIdWidth, Channels = 3,
            Normalisation = budget.Normalisation, DecodeThreads = budget.Threads,
        };
        _images = new ProtocolImages(_listing, data, centreCrop: null);
    }

    public string Name => "cuhk03";

    public string Description => Summary;

    public const string Summary =
        "CUHK03 detected: seeded identity split (seed 1) of 767 training / 700 test people; training <H100, S> (the 100 training people " +
        "with most images whole, the rest cut to S); query = camera A (JJ 00-04), gallery = camera B (JJ 05-09) of the test people; " +
        "cosine distance, Market-1501 rules (same person and camera removed), CMC and mAP.";

    public IReadOnlyList<QualitySplit> Splits => AllSplits;

    /// <summary>&lt;H100, S&gt; for S = 5, 4, 3; T = S.</summary>
    public static IReadOnlyList<QualitySplit> AllSplits { get; } =
        [.. new[] { 5, 4, 3 }.Select(s => new QualitySplit($"cuhk03-H{HeadClasses}-S{s}", HeadClasses, s, s))];

    /// <summary>Camera of a CUHK03 file IIII_JJ.jpg: 0 (camera A) for JJ &lt; 5, else 1 (camera B).</summary>
    public static int CameraOf(string path)
    {
        string stem = Path.GetFileNameWithoutExtension(path);
        int underscore = stem.LastIndexOf('_');
        return underscore > 0 && int.TryParse(stem[(underscore + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int shot)
            ? (shot < 5 ? 0 : 1)
            : throw new InvalidDataException($"'{path}' is not a CUHK03 name IIII_JJ.jpg.");
    }

    public RunData OpenTraining(QualitySplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        var people = _trainingPeople.ToHashSet();
        int[] labels = _listing.Images.Select(i => people.Contains(i.ClassId) ? i.ClassId : LongTailSplitBuilder.HeldOut).ToArray();
        var options = new LongTailOptions(split.HeadClasses ?? people.Count, split.HeadClasses is null ? 0 : null, split.SamplesPerTailClass, IdentitySplitSeed);
        return _images.OpenTraining(labels, options);
    }

    public IReadOnlyDictionary<string, double> Evaluate(QualitySplit split, Func<IImageCollection, Embeddings> embed)
    {
        ArgumentNullException.ThrowIfNull(embed);
        Embeddings all = embed(_images.Images(_testImages));
        var labels = _testImages.Select(i => new ReIdLabel(_listing.Images[i].ClassId, CameraOf(_listing.Images[i].Path))).ToArray();
        int[] query = Enumerable.Range(0, labels.Length).Where(r => labels[r].CameraId == 0).ToArray();
        int[] gallery = Enumerable.Range(0, labels.Length).Where(r => labels[r].CameraId == 1).ToArray();
        ReIdReport report = ReIdEvaluator.Evaluate(Rows(all, query), query.Select(r => labels[r]).ToArray(), Rows(all, gallery), gallery.Select(r => labels[r]).ToArray());
        return new Dictionary<string, double>
        {
            ["rank1"] = report.RankAt(1),
            ["rank5"] = report.RankAt(5),
            ["rank10"] = report.RankAt(10),
            ["mAP"] = report.MeanAveragePrecision,
        };
    }

    public void Dispose() => _images.Dispose();

    private static Embeddings Rows(Embeddings all, int[] rows)
    {
        var data = new float[rows.Length * all.Dimension];
        for (int i = 0; i < rows.Length; i++)
        {
            all.Row(rows[i]).CopyTo(data.AsSpan(i * all.Dimension, all.Dimension));
        }

        return new Embeddings(data, all.Dimension);
    }
}
