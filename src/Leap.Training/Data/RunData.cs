using Leap.Data;
using Leap.Data.Sources;
using Leap.Data.Transforms;
using Leap.Training.Configuration;
using Leap.Training.Modeling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Leap.Training.Data;

/// <summary>
/// The data of a run, from any <see cref="DataFormat"/>: the source as an index (no pixels), the paper's long-tailed
/// split of it (<see cref="LongTailSplitBuilder"/>, deterministic for the seed, so every worker builds the same one),
/// the training rows, and the evaluation images (IDX: the t10k images of the kept classes; image formats: images held
/// out of training per class, <see cref="DataOptions.HoldOutPerClass"/>). Pixels are read per batch
/// (<see cref="Batches"/>, with the per-sample <see cref="Augmentation"/>) and per evaluation slice (never augmented),
/// through one decode path.
/// </summary>
public sealed class RunData : IDisposable
{
    private readonly IImageSource _source;
    private readonly IImageSource? _testSource;
    private readonly TrainingOptions _options;
    private readonly ILogger _logger;

    private RunData(TrainingOptions options, IImageSource source, IImageSource? testSource, LongTailManifest manifest, BatchDecoder decoder,
        SampleAugmentation? augmentation, EvaluationImages test, ILogger logger)
    {
        _options = options;
        _source = source;
        _testSource = testSource;
        _logger = logger;
        Manifest = manifest;
        Train = new TrainingSamples(manifest);
        Decoder = decoder;
        Augmentation = augmentation;
        Test = test;
    }

    public LongTailManifest Manifest { get; }
    public TrainingSamples Train { get; }
    public IImageCollection Test { get; }
    public BatchDecoder Decoder { get; }

    /// <summary>The per-sample augmentation of training batches (Augmentation:RandomResizedCrop, ColourJitter); null when off.</summary>
    public SampleAugmentation? Augmentation { get; }
    public string SourceDescription => _source.Description;
    public int Channels => Decoder.Preprocessor.Channels;

    /// <summary>The shape of every prepared image (the configured size, else the first image's: 28x28 for IDX).</summary>
    public ImageShape Shape => new(Decoder.Preprocessor.Channels, Decoder.Preprocessor.Height, Decoder.Preprocessor.Width);
    public IReadOnlySet<int> HeadClasses => Manifest.Classes.Where(c => c.IsHead).Select(c => c.NewId).ToHashSet();

    private static LongTailOptions SplitOptions(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new LongTailOptions(options.Data.HeadClasses, options.Data.TailClasses < 0 ? null : options.Data.TailClasses,
            options.Data.SamplesPerTailClass, options.Seed);
    }

    /// <summary>Opens the configured source and builds the split (reads the index and labels, not the images).</summary>
    /// <exception cref="FileNotFoundException">The data path or one of its files is missing.</exception>
    /// <exception cref="InvalidDataException">The index, a header or the first image is corrupt.</exception>
    /// <exception cref="ArgumentException">The split asks for more classes than the source holds.</exception>
    public static RunData Open(TrainingOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        logger ??= NullLogger.Instance;
        var data = options.Data;
        IImageSource source = ImageSourceFactory.OpenTraining(data, logger);
        IImageSource? testSource = null;
        try
        {
            testSource = ImageSourceFactory.OpenIdxTest(data);
            int[] splitLabels = testSource is null ? EvaluationHoldOut.Apply(source.Labels, data.HoldOutPerClass, options.Seed) : source.Labels.ToArray();
            var manifest = new LongTailSplitBuilder(SplitOptions(options)).Build(splitLabels);
            var decoder = new BatchDecoder(ImageSourceFactory.Preprocessor(source, data), data.DecodeThreads, data.OnCorruptImage, logger);
            EvaluationImages test = testSource is null
                ? HeldOut(decoder, source.Labels, splitLabels, manifest, data.TestSamplesPerClass)
                : TestFiles(new BatchDecoder(ImageSourceFactory.Preprocessor(testSource, data), data.DecodeThreads), testSource.Labels, manifest, data.TestSamplesPerClass);
            var augmentation = ImageSourceFactory.Augmentation(options.Augmentation, decoder.Preprocessor, options.Seed);
            var run = new RunData(options, source, testSource, manifest, decoder, augmentation, test, logger);
            // Building the index, the split and the plan's inputs leaves O(records) garbage, much of it on the large-object
            // heap, which only a full collection frees: return it to the system before the model and batches take memory.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            return run;
        }
        catch
        {
            testSource?.Dispose();
            source.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The data of a run whose training pool is chosen by the caller (a benchmark protocol): <paramref name="splitLabels"/>
    /// gives each sample of <paramref name="source"/> its class, or <see cref="LongTailSplitBuilder.HeldOut"/> to keep
    /// it out (test people, other folds); the long-tail split and the streaming decode path are the main job's. The
    /// caller evaluates with its own sets, so <see cref="Test"/> is empty. Takes ownership of the source.
    /// </summary>
    public static RunData FromSource(TrainingOptions options, IImageSource source, IReadOnlyList<int> splitLabels, LongTailOptions split, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(splitLabels);
        ArgumentNullException.ThrowIfNull(split);
        logger ??= NullLogger.Instance;
        try
        {
            var manifest = new LongTailSplitBuilder(split).Build(splitLabels);
            var decoder = new BatchDecoder(ImageSourceFactory.Preprocessor(source, options.Data), options.Data.DecodeThreads, options.Data.OnCorruptImage, logger);
            var augmentation = ImageSourceFactory.Augmentation(options.Augmentation, decoder.Preprocessor, options.Seed);
            return new RunData(options, source, null, manifest, decoder, augmentation, new EvaluationImages(decoder, [], []), logger);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>This rank's stream of (augmented) training batches, prefetched <see cref="DataOptions.PrefetchBatches"/> ahead.</summary>
    public PrefetchingBatches Batches(EpochPlan plan, int rank = 0, int worldSize = 1) =>
        new(Train, Decoder, plan, rank, worldSize, _options.Data.PrefetchBatches, Augmentation);

    /// <summary>The epoch plan of the training rows for the run's seed and global batch.</summary>
    public EpochPlan Plan() => new(_options.Seed, Train.Count, _options.BatchSize);

    /// <summary>Every training image in row order, without augmentation (for analysing a trained model's training features).</summary>
    public EvaluationImages TrainingImages() =>
        new(Decoder, Enumerable.Range(0, Train.Count).Select(r => Train.SourceIndex(r)).ToArray(), Enumerable.Range(0, Train.Count).Select(r => (long)Train.Label(r)).ToArray());

    /// <summary>Logs (and returns) how many corrupt samples were replaced so far (Data:OnCorruptImage = Skip).</summary>
    public int ReportSkipped()
    {
        int skipped = Decoder.Skipped.Count;
        if (skipped > 0)
        {
            _logger.LogWarning("{Skipped} corrupt samples were replaced by the next image of their class: {Samples}", skipped,
                string.Join(", ", Decoder.Skipped.Ids.Take(20)));
        }

        return skipped;
    }

    private static EvaluationImages HeldOut(BatchDecoder decoder, IReadOnlyList<int> labels, int[] splitLabels, LongTailManifest manifest, int perClass)
    {
        var map = manifest.Classes.ToDictionary(c => c.OriginalId, c => c.NewId);
        return Select(decoder, Enumerable.Range(0, labels.Count).Where(i => splitLabels[i] == LongTailSplitBuilder.HeldOut), labels, map, perClass, manifest.Classes.Count);
    }

    private static EvaluationImages TestFiles(BatchDecoder decoder, IReadOnlyList<int> labels, LongTailManifest manifest, int perClass)
    {
        var map = manifest.Classes.ToDictionary(c => c.OriginalId, c => c.NewId);
        return Select(decoder, Enumerable.Range(0, labels.Count), labels, map, perClass, manifest.Classes.Count);
    }

    /// <summary>The candidates of kept classes (new ids), at most <paramref name="perClass"/> each (0 = all), in source order.</summary>
    private static EvaluationImages Select(BatchDecoder decoder, IEnumerable<int> candidates, IReadOnlyList<int> labels, Dictionary<int, int> map, int perClass, int classCount)
    {
        var taken = new int[classCount];
        var sources = new List<int>();
        var newLabels = new List<long>();
        foreach (int i in candidates)
        {
            if (map.TryGetValue(labels[i], out int id) && (perClass == 0 || taken[id] < perClass))
            {
                taken[id]++;
                sources.Add(i);
                newLabels.Add(id);
            }
        }

        if (sources.Count == 0)
        {
            throw new InvalidDataException(
                "No evaluation images: no kept class has an image held out of training (raise Data:HoldOutPerClass, or use classes with more images).");
        }

        return new EvaluationImages(decoder, sources, newLabels);
    }

    public void Dispose()
    {
        _testSource?.Dispose();
        _source.Dispose();
    }
}
