using System.Globalization;
using Leap.Benchmarks.CentreLoad;
using Leap.Training.Data;
using Microsoft.Extensions.Logging;

namespace Leap.Benchmarks.DataLoader;

/// <summary>
/// The pieces of `leap bench data`, each on a set packed into the scratch directory: our loader against PyTorch's
/// DataLoader on the same images (<see cref="CompareAsync"/>), and the data-wait share of a training run
/// (<see cref="MeasureDataWait"/>).
/// </summary>
public sealed class DataLoaderBenchmark(DataBenchSettings settings, string scratchDirectory, ILoggerFactory loggers)
{
    /// <summary>
    /// Packs <paramref name="set"/>, then runs <see cref="DataBenchSettings.Rounds"/> alternating rounds of our loader and
    /// (unless <paramref name="python"/> is null) the PyTorch peer on its training rows.
    /// </summary>
    public async Task<DataLoaderComparison> CompareAsync(DataBenchSet set, string? python, Action<LoaderTiming>? measured, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(set);
        string directory = Path.Combine(scratchDirectory, Slug(set));
        var (listing, rec) = set.Pack(settings.DataRoot, directory);
        var options = settings.LoaderOptions(set, rec, listing.ClassNames.Count, directory);
        string imageList = Path.Combine(directory, "images.tsv");
        var ours = new List<LoaderTiming>();
        var torch = new List<LoaderTiming>();
        string note = "PyTorch reference skipped (--no-reference).";
        using var data = RunData.Open(options, loggers.CreateLogger<RunData>());
        var first = data.Decoder.Preprocessor.Source.Load(0);
        var probe = new LoaderThroughputProbe(data, options, listing.Images.Select(i => i.Path).ToList());
        probe.WriteImageList(imageList);
        for (int round = 0; round < settings.Rounds && !cancellation.IsCancellationRequested; round++)
        {
            ours.Add(probe.Run(set.Name, settings.WarmupBatches, settings.Batches, CentreLoadBenchReport.CurrentLoadAverage() ?? 0));
            measured?.Invoke(ours[^1]);
            if (python is null)
            {
                continue;
            }

            (LoaderTiming? timing, note) = await TorchDataLoaderReference.RunAsync(set.Name, options, settings.WarmupBatches, settings.Batches, imageList, python, cancellation)
                .ConfigureAwait(false);
            if (timing is null)
            {
                python = null;
                continue;
            }

            torch.Add(timing);
            measured?.Invoke(timing);
        }

        return new DataLoaderComparison(set.Name, listing.Images.Count, listing.ClassNames.Count,
            string.Create(CultureInfo.InvariantCulture, $"{first.Width}x{first.Height}"), ours, torch, note);
    }

    /// <summary>Trains ResNet-18 on the packed <paramref name="set"/> (packing it if <see cref="CompareAsync"/> did not) and returns its data-wait share.</summary>
    public DataWaitResult MeasureDataWait(DataBenchSet set, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(set);
        string directory = Path.Combine(scratchDirectory, Slug(set));
        string rec = Path.Combine(directory, "train.rec");
        int classes = File.Exists(rec) ? set.List(settings.DataRoot).ClassNames.Count : set.Pack(settings.DataRoot, directory).Listing.ClassNames.Count;
        var options = settings.TrainingOptions(set, rec, classes, Path.Combine(directory, "run"));
        return TrainingDataWaitProbe.Run(set.Name, options, settings.TrainWarmupSteps, loggers, cancellation);
    }

    private static string Slug(DataBenchSet set) => new(set.Name.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());
}
