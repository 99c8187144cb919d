using Leap.Data;
using Leap.Training.Configuration;

namespace Leap.Training.Data;

/// <summary>
/// The training and test sets of a run on an MNIST-layout IDX folder: the training labels are cut to the paper's
/// long-tailed protocol (<see cref="LongTailSplitBuilder"/>, deterministic for the seed, so every worker of a job
/// builds the same split), the test images are those of the kept classes.
/// </summary>
public sealed class LongTailIdxData : IDisposable
{
    private LongTailIdxData(LongTailManifest manifest, ImageSet train, ImageSet test)
    {
        Manifest = manifest;
        Train = train;
        Test = test;
    }

    public LongTailManifest Manifest { get; }
    public ImageSet Train { get; }
    public ImageSet Test { get; }
    public IReadOnlySet<int> HeadClasses => Manifest.Classes.Where(c => c.IsHead).Select(c => c.NewId).ToHashSet();

    public static LongTailOptions SplitOptions(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new LongTailOptions(options.Data.HeadClasses, options.Data.TailClasses < 0 ? null : options.Data.TailClasses,
            options.Data.SamplesPerTailClass, options.Seed);
    }

    /// <summary>Only the manifest (reads the label file, not the images).</summary>
    public static LongTailManifest BuildManifest(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (_, labels) = IdxImageSetLoader.Files(options.Data.IdxDirectory, "train");
        return new LongTailSplitBuilder(SplitOptions(options)).Build(IdxFile.ReadLabels(labels).ToInt32Array());
    }

    public static LongTailIdxData Load(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var manifest = BuildManifest(options);
        var (trainImages, _) = IdxImageSetLoader.Files(options.Data.IdxDirectory, "train");
        var (testImages, testLabels) = IdxImageSetLoader.Files(options.Data.IdxDirectory, "t10k");
        var train = IdxImageSetLoader.LoadTraining(IdxFile.ReadImages(trainImages), manifest);
        var test = IdxImageSetLoader.LoadTest(IdxFile.ReadImages(testImages), IdxFile.ReadLabels(testLabels), manifest, options.Data.TestSamplesPerClass);
        return new LongTailIdxData(manifest, train, test);
    }

    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}
