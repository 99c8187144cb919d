using System.Text;
using Leap.Benchmarks.DataLoader;
using Leap.Benchmarks.Report;

namespace Leap.Training.Tests.DataBench;

/// <summary>The input-pipeline section of docs/benchmarks.md, rendered from a stored docs/bench/data-loader.json.</summary>
public sealed class DataLoaderSectionTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-data-section-" + Guid.NewGuid().ToString("N"));

    private static LoaderTiming Timing(string implementation, string dataset, double imagesPerSecond, double cpuMs, double waitFraction = 0, long height = 112, long width = 112) =>
        new(implementation, "v", dataset, height == 112 ? 11_431 : 7_995, 64, 2, 2, 5, 60, [64, 3, height, width], 4, 3840 / imagesPerSecond, imagesPerSecond, cpuMs / 1e3,
            0.2e-3, 0.3e-3, 0.5e-3, 1.0)
        {
            WaitFraction = waitFraction,
            BatchSecondsPerBatch = 0.004,
            AugmentSecondsPerBatch = 0.0125,
            Gen2Collections = implementation == "leap" ? 3 : 0,
        };

    private static DataBenchReport Report() => new(DateTimeOffset.UnixEpoch, 2.5, 3.5, 2, "leap bench data --data ../shared/data --batch 64",
        [
            new("LFW", 13_233, 5_749, "128x128", [Timing("leap", "LFW", 900, 1.5, waitFraction: 0.8), Timing("leap", "LFW", 1000, 1.6, waitFraction: 0.9)],
                [Timing("pytorch", "LFW", 800, 2.0), Timing("pytorch", "LFW", 500, 2.4)], "python3 bench_torch_dataloader.py"),
            new("Market-1501", 9_399, 730, "64x128", [Timing("leap", "Market-1501", 600, 1.0, height: 128, width: 64)],
                [Timing("pytorch", "Market-1501", 750, 0.9, height: 128, width: 64)], "python3 bench_torch_dataloader.py"),
        ],
        new DataWaitResult("LFW", "ResNet18", "CosFace", 32, 112, 112, 4, 2, 2, 2, 3, 40, 40.0, 0.8, 0.05, 1.9));

    private string Render()
    {
        var markdown = new StringBuilder();
        new DataLoaderSection().Render(new BenchmarkResults(_root), markdown);
        return markdown.ToString();
    }

    [Fact]
    public void Render_StoredResult_ShowsEachSetsFastestRoundsRatioAndLimit()
    {
        Report().Write(Path.Combine(_root, DataBenchReport.FileName));

        string text = Render();

        Assert.Contains("Command: `leap bench data --data ../shared/data --batch 64`, then `leap bench report`.", text, StringComparison.Ordinal);
        Assert.Contains("| LFW | 128x128 JPEG -> [64x3x112x112] | 11,431 of 13,233 (5,749 classes) | 64 | 2 | 900 / 1000 | 800 / 500 | 1.25x | 1.50 / 2.00 | 1.33x |", text, StringComparison.Ordinal);
        Assert.Contains("| Market-1501 | 64x128 JPEG -> [64x3x128x64] | 7,995 of 9,399 (730 classes) | 64 | 2 | 600 | 750 | 0.80x | 1.00 / 0.90 | 0.90x |", text, StringComparison.Ordinal);
        Assert.Contains("| LFW | ours | 0.20 | 0.30 | 0.50 | 90 % | 4.0 | 12.5 | 3 |", text, StringComparison.Ordinal);
        Assert.Contains("LFW: target met, ours is 1.25x PyTorch's throughput; our consumer waited 90 % of the time for decoded batches, so the 2 decode threads are the limit", text, StringComparison.Ordinal);
        Assert.Contains("Market-1501: target missed, ours is 0.80x PyTorch's throughput; our consumer waited only 0 % of the time, so the consuming thread is the limit: 12.5 ms of batch augmentation", text, StringComparison.Ordinal);
        Assert.Contains("| LFW | ResNet18 | CosFace | 32 | 112x112 | flip + pad-crop 4 | 2 / 2 | 2 | 40 (after 3) | 1000 | 1.90 | 2.00 % | 50.0 | <= 5 %: met |", text, StringComparison.Ordinal);
        Assert.Contains("preparing one batch of 32 takes about 8.0 ms on the 2 decode threads (32 x 0.50 ms per prepared LFW image / 2), 0.8 % of this run's step, so the queue stays ahead of any ResNet-18 step slower than about 160 ms.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WaitAboveTarget_SaysTheTargetIsMissed()
    {
        (Report() with { Training = new DataWaitResult("LFW", "ResNet18", "CosFace", 32, 112, 112, 4, 2, 2, 2, 3, 40, 40.0, 2.4, 0.3, 1.9) })
            .Write(Path.Combine(_root, DataBenchReport.FileName));

        string text = Render();

        Assert.Contains("| 6.00 % | 300.0 | <= 5 %: missed |", text, StringComparison.Ordinal);
        Assert.Contains("The step waited longer than the target", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoResult_SaysWhatToRun()
    {
        string text = Render();

        Assert.Contains("No results yet: run `leap bench data`", text, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
