using System.CommandLine;
using Leap.Benchmarks.DataLoader;

namespace Leap.Cli.Commands;

/// <summary>The options of `leap bench data` and their validation (every invalid option named at once).</summary>
public sealed class DataBenchOptions
{
    public Option<string> Data { get; } = new("--data") { Description = "Folder holding lfw/ and market1501/bounding_box_train/ (nothing from it is written or committed).", DefaultValueFactory = _ => "../shared/data" };
    public Option<int> Batch { get; } = new("--batch") { Description = "Images per batch (B), both loaders.", DefaultValueFactory = _ => 64 };
    public Option<int> Warmup { get; } = new("--warmup") { Description = "Untimed batches first (start-up, worker spawn).", DefaultValueFactory = _ => 5 };
    public Option<int> Batches { get; } = new("--batches") { Description = "Timed batches per loader and data set.", DefaultValueFactory = _ => 100 };
    public Option<int> Rounds { get; } = new("--rounds") { Description = "Alternating rounds (ours, PyTorch) per data set; each side's fastest round is reported.", DefaultValueFactory = _ => 3 };
    public Option<int> DecodeThreads { get; } = new("--decode-threads") { Description = "Our Data:DecodeThreads, and the DataLoader's num_workers.", DefaultValueFactory = _ => 2 };
    public Option<int> Prefetch { get; } = new("--prefetch") { Description = "Our Data:PrefetchBatches (the DataLoader keeps its default prefetch_factor 2 per worker).", DefaultValueFactory = _ => 2 };
    public Option<int> PadCrop { get; } = new("--pad-crop") { Description = "Augmentation: random flip, zero-pad by P pixels, random crop back (0 = flip only).", DefaultValueFactory = _ => 4 };
    public Option<int> TrainBatch { get; } = new("--train-batch") { Description = "Batch of the ResNet-18 training run.", DefaultValueFactory = _ => 32 };
    public Option<int> TrainWarmup { get; } = new("--train-warmup") { Description = "Training steps left out of the data-wait share.", DefaultValueFactory = _ => 3 };
    public Option<int> TrainSteps { get; } = new("--train-steps") { Description = "Timed training steps (0 = no training run).", DefaultValueFactory = _ => 40 };
    public Option<int> Threads { get; } = new("--threads") { Description = "Torch intra-op threads of our process.", DefaultValueFactory = _ => Environment.ProcessorCount };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in new Option[] { Data, Batch, Warmup, Batches, Rounds, DecodeThreads, Prefetch, PadCrop, TrainBatch, TrainWarmup, TrainSteps, Threads })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The settings, or the errors naming each invalid option.</summary>
    public (DataBenchSettings? Settings, IReadOnlyList<string> Errors) Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var errors = new List<string>();
        var range = new OptionRangeCheck(parse, errors);

        string data = parse.GetValue(Data) ?? "";
        if (string.IsNullOrWhiteSpace(data))
        {
            errors.Add("--data is empty.");
        }

        var settings = new DataBenchSettings(data, range.Checked(Batch, 1, 4096), range.Checked(Warmup, 0, 1000), range.Checked(Batches, 1, 100_000), range.Checked(Rounds, 1, 100),
            range.Checked(DecodeThreads, 1, 256), range.Checked(Prefetch, 1, 64), range.Checked(PadCrop, 0, 64), range.Checked(TrainBatch, 2, 4096),
            range.Checked(TrainWarmup, 0, 1000), range.Checked(TrainSteps, 0, 100_000), range.Checked(Threads, 1, 1024));
        return errors.Count == 0 ? (settings, errors) : (null, errors);
    }
}
