using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Leap.Training.Configuration;
using Leap.Training.Data;

namespace Leap.Benchmarks.DataLoader;

/// <summary>
/// Runs tests/reference/bench_torch_dataloader.py with the system python3 (Debian's python3-torch, torchvision, PIL) on
/// the images our loader trains on, with the same size, normalisation, augmentation, batch, worker count (= our decode
/// threads), warm-up and timed batches; reads the timing it writes, or says why it could not.
/// </summary>
public static class TorchDataLoaderReference
{
    public const string ScriptPath = "tests/reference/bench_torch_dataloader.py";

    /// <param name="imageList">The training rows as "path TAB label" lines (<see cref="LoaderThroughputProbe.WriteImageList"/>).</param>
    public static async Task<(LoaderTiming? Timing, string Note)> RunAsync(
        string dataset, TrainingOptions options, int warmupBatches, int batches, string imageList, string python, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? script = ReferenceScript.Find(ScriptPath);
        if (script is null)
        {
            return (null, $"PyTorch reference not run: {ScriptPath} not found above {Environment.CurrentDirectory}.");
        }
        if (!File.Exists(python))
        {
            return (null, $"PyTorch reference not run: {python} not found (apt-get install python3-torch python3-torchvision).");
        }

        string output = Path.Combine(Path.GetTempPath(), $"leap-data-torch-{Environment.ProcessId}-{Guid.NewGuid():N}.json");
        var (mean, std) = ImageSourceFactory.ImageNormalisationOf(options.Data);
        string I(int v) => v.ToString(CultureInfo.InvariantCulture);
        string F(float v) => v.ToString("R", CultureInfo.InvariantCulture);
        var info = new ProcessStartInfo(python) { UseShellExecute = false };
        List<string> arguments =
        [
            script, "--list", imageList, "--dataset", dataset, "--height", I(options.Data.ImageHeight), "--width", I(options.Data.ImageWidth),
            "--pad-crop", I(options.Augmentation.PadCrop), "--batch", I(options.BatchSize), "--workers", I(options.Data.DecodeThreads),
            "--warmup", I(warmupBatches), "--batches", I(batches), "--seed", options.Seed.ToString(CultureInfo.InvariantCulture), "--out", output, "--quiet",
            "--mean", .. mean.Select(F), "--std", .. std.Select(F),
        ];
        if (!options.Augmentation.HorizontalFlip)
        {
            arguments.Add("--no-flip");
        }
        arguments.ForEach(info.ArgumentList.Add);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {python}.");
        await process.WaitForExitAsync(cancellation).ConfigureAwait(false);
        if (process.ExitCode != 0 || !File.Exists(output))
        {
            return (null, $"PyTorch reference failed: {python} {ScriptPath} exited with code {process.ExitCode} (are python3-torch and python3-torchvision installed?).");
        }
        var timing = JsonSerializer.Deserialize<LoaderTiming>(await File.ReadAllTextAsync(output, cancellation).ConfigureAwait(false));
        File.Delete(output);
        return (timing, $"{python} {ScriptPath}, run as a subprocess right after our loader");
    }
}
