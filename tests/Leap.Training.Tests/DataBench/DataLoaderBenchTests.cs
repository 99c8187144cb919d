using System.CommandLine;
using Leap.Benchmarks.DataLoader;
using Leap.Cli.Commands;
using Leap.Data.Synthetic;
using Leap.Training.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Leap.Training.Tests.DataBench;

/// <summary>The pieces of `leap bench data` on a generated identity folder (no ../shared/data needed).</summary>
public sealed class DataLoaderBenchTests : IDisposable
{
    private const int Classes = 6;
    private const int MaxImages = 12;
    private const int MinImages = 2;
    private const int StoredSize = 40;

    private static readonly DataBenchSet Synthetic = new("Synthetic", "synth", false, 32, 24, ImageNormalisation.SymmetricUnit);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-data-bench-" + Guid.NewGuid().ToString("N"));
    private readonly int _written;

    public DataLoaderBenchTests()
    {
        _written = SyntheticIdentities.Write(Path.Combine(_root, "data", Synthetic.Folder), Classes, MaxImages, MinImages, StoredSize, seed: 5);
    }

    private static DataBenchSettings Settings(string dataRoot, int trainSteps = 0) => new(dataRoot, Batch: 8, WarmupBatches: 1, Batches: 3, Rounds: 1,
        DecodeThreads: 2, PrefetchBatches: 2, PadCrop: 2, TrainBatch: 4, TrainWarmupSteps: 1, TrainSteps: trainSteps, Threads: 1);

    /// <summary>Training rows after the hold-out of 2 images from every class with more than 2.</summary>
    private static int TrainingRows() => Enumerable.Range(0, Classes)
        .Select(c => SyntheticIdentities.ImagesOf(c, Classes, MaxImages, MinImages)).Sum(n => n > 2 ? n - 2 : n);

    [Fact]
    public async Task CompareAsync_SyntheticIdentityFolder_StreamsAugmentedBatchesOfTheConfiguredShape()
    {
        var benchmark = new DataLoaderBenchmark(Settings(Path.Combine(_root, "data")), Path.Combine(_root, "scratch"), NullLoggerFactory.Instance);

        var comparison = await benchmark.CompareAsync(Synthetic, python: null, measured: null, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(_written, comparison.SourceImages);
        Assert.Equal(Classes, comparison.Classes);
        Assert.Equal("40x40", comparison.StoredSize);
        Assert.Empty(comparison.PyTorch);
        Assert.Null(comparison.Ratio);
        var ours = Assert.Single(comparison.Ours);
        Assert.Equal([8L, 3, 32, 24], ours.Shape);
        Assert.Equal(TrainingRows(), ours.Images);
        Assert.Equal((3, 1, 2, 2, 2), (ours.Batches, ours.WarmupBatches, ours.Workers, ours.Prefetch, ours.PadCrop));
        Assert.Equal(24, ours.TimedImages);
        Assert.Equal(ours.TimedImages / ours.Seconds, ours.ImagesPerSecond, 6);
        Assert.InRange(ours.WaitFraction, 0, 1);
        Assert.True(ours.SampleSecondsPerImage > 0 && ours.CodecSecondsPerImage > 0, "the one-image profile ran");

        // The PyTorch peer samples from exactly our training rows: existing files of the set, labels of the kept classes.
        string[] lines = File.ReadAllLines(Path.Combine(_root, "scratch", "synthetic", "images.tsv"));
        Assert.Equal(TrainingRows(), lines.Length);
        Assert.All(lines, line =>
        {
            string[] fields = line.Split('\t');
            Assert.True(File.Exists(fields[0]), fields[0]);
            Assert.InRange(int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture), 0, Classes - 1);
        });
        Assert.Equal(lines.Length, lines.Distinct().Count());
    }

    [Fact]
    public void MeasureDataWait_SyntheticSet_ReportsTheShareOverTheTimedSteps()
    {
        var benchmark = new DataLoaderBenchmark(Settings(Path.Combine(_root, "data"), trainSteps: 2), Path.Combine(_root, "scratch"), NullLoggerFactory.Instance);

        DataWaitResult result = benchmark.MeasureDataWait(Synthetic, CancellationToken.None);

        Assert.Equal(("ResNet18", "CosFace", 4, 32, 24), (result.Backbone, result.Method, result.Batch, result.Height, result.Width));
        Assert.Equal((1, 2), (result.WarmupSteps, result.Steps));
        Assert.True(result.ElapsedSeconds > 0);
        Assert.InRange(result.DataWaitSeconds, 0, result.ElapsedSeconds);
        Assert.Equal(result.DataWaitSeconds / result.ElapsedSeconds, result.Share, 12);
        Assert.InRange(result.MaxWaitSeconds, 0, result.DataWaitSeconds);
    }

    [Fact]
    public void List_Market1501Layout_MakesOneClassPerPersonInAscendingOrder()
    {
        string folder = Path.Combine(_root, "market", "bounding_box_train");
        Directory.CreateDirectory(folder);
        foreach (var (name, person) in new[] { ("0007_c1s1_000100_01.png", 7), ("0002_c2s1_000200_01.png", 2), ("0007_c3s1_000300_02.png", 7), ("-1_c1s1_000400_01.png", -1) })
        {
            File.WriteAllBytes(Path.Combine(folder, name), SyntheticIdentities.Draw(Math.Abs(person), 0, 16, 1));
        }

        var listing = new DataBenchSet("Market", "market/bounding_box_train", true, 16, 8, ImageNormalisation.ImageNet).List(_root);

        Assert.Equal(["0002", "0007"], listing.ClassNames);
        Assert.Equal([0, 1, 1], listing.Images.Select(i => i.ClassId));
        Assert.Equal(["0002_c2s1_000200_01.png", "0007_c1s1_000100_01.png", "0007_c3s1_000300_02.png"], listing.Images.Select(i => Path.GetFileName(i.Path)));
    }

    [Fact]
    public void List_MissingFolder_NamesThePathAndTheSetting()
    {
        var error = Assert.Throws<DirectoryNotFoundException>(() => DataBenchSet.Lfw.List(Path.Combine(_root, "absent")));
        Assert.Contains(Path.Combine(_root, "absent", "lfw"), error.Message, StringComparison.Ordinal);
        Assert.Contains("--data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OutOfRangeOptions_NamesEachOne()
    {
        var options = new DataBenchOptions();
        var command = new Command("data");
        options.AddTo(command);

        var (settings, errors) = options.Read(command.Parse("--batch 0 --rounds 0 --decode-threads 2"));

        Assert.Null(settings);
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("--batch = 0", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("--rounds = 0", StringComparison.Ordinal));
    }

    [TorchPythonFact]
    public async Task CompareAsync_WithPython_RunsThePyTorchPeerOnTheSameImages()
    {
        var benchmark = new DataLoaderBenchmark(Settings(Path.Combine(_root, "data")), Path.Combine(_root, "scratch"), NullLoggerFactory.Instance);

        var comparison = await benchmark.CompareAsync(Synthetic, TorchPythonFactAttribute.Python, measured: null, CancellationToken.None).WaitAsync(Timeout);

        var torch = Assert.Single(comparison.PyTorch);
        Assert.Equal("pytorch", torch.Implementation);
        Assert.Equal([8L, 3, 32, 24], torch.Shape);
        Assert.Equal((TrainingRows(), 2, 3, 1, 2), (torch.Images, torch.Workers, torch.Batches, torch.WarmupBatches, torch.PadCrop));
        Assert.True(torch.ImagesPerSecond > 0 && torch.CpuSecondsPerImage > 0);
        Assert.Equal(comparison.BestOurs.ImagesPerSecond / torch.ImagesPerSecond, comparison.Ratio!.Value, 12);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
