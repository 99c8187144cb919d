using System.CommandLine;
using Leap.Benchmarks.Job;
using Leap.Core.Statistics;
using Leap.Launch;
using Leap.Training.Distributed;

namespace Leap.Cli.Commands;

/// <summary>The options of `leap bench job` that shape the measurement, and their validation.</summary>
public sealed class JobBenchOptions
{
    public const int MaxWorkers = 8;

    public Option<int[]> Workers { get; } = new("--workers")
    {
        Description = "Worker counts, each measured in turn (repeatable or a list: --workers 2 4).",
        DefaultValueFactory = _ => [2],
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<int> Steps { get; } = new("--steps") { Description = "Training steps per run; the first third is warm-up.", DefaultValueFactory = _ => 300 };
    public Option<int> Repeats { get; } = new("--repeats") { Description = "Interleaved repeats of (launch, train, DDP); the report gives their median.", DefaultValueFactory = _ => 3 };
    public Option<LeapVariant> Variant { get; } = new("--variant") { Description = "LEAP variant of our job (Full as in the quick-start; None is the like-for-like baseline of the DDP peer, which has no LEAP).", DefaultValueFactory = _ => LeapVariant.Full };

    public Option<string> Model { get; } = new("--model")
    {
        Description = "The job's model on the quick-start data: quickstart (SmallCnn, 28x28, batch 128) or resnet18 (ResNet-18, 112x112, D = 512, batch 32).",
        DefaultValueFactory = _ => JobModel.QuickStart.Name,
    };

    public Option<string> NativeHeap { get; } = new("--native-heap")
    {
        Description = "Malloc setting of every measured process, ours and the peer: retain (the product's default: freed native memory is kept) or default (glibc's own settings, for comparison).",
        DefaultValueFactory = _ => NativeHeapRetention.RetainHeap,
    };

    public Option<ClassifierPlacement> Classifier { get; } = new("--classifier")
    {
        Description = "Training:Distributed:Classifier of our launch: Auto (the product's default: replicated for a classifier small next to the backbone), Sharded or Replicated.",
        DefaultValueFactory = _ => ClassifierPlacement.Auto,
    };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in new Option[] { Workers, Steps, Repeats, Variant, Model, NativeHeap, Classifier })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The settings, or the errors naming each invalid option.</summary>
    public (JobBenchSettings? Settings, IReadOnlyList<string> Errors) Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var errors = new List<string>();
        int[] workers = parse.GetValue(Workers) ?? [];
        if (workers.Length == 0)
        {
            errors.Add($"{Workers.Name} needs at least one worker count.");
        }
        errors.AddRange(workers.Where(n => n is < 1 or > MaxWorkers).Select(n => $"{Workers.Name} = {n} is out of range; allowed [1, {MaxWorkers}]."));
        var range = new OptionRangeCheck(parse, errors);
        JobModel? model = JobModel.All.FirstOrDefault(m => string.Equals(m.Name, parse.GetValue(Model), StringComparison.OrdinalIgnoreCase));
        if (model is null)
        {
            errors.Add($"{Model.Name} = '{parse.GetValue(Model)}' is not a job model; allowed: {string.Join(", ", JobModel.All.Select(m => m.Name))}.");
        }
        string? heap = parse.GetValue(NativeHeap);
        if (heap is not (NativeHeapRetention.RetainHeap or NativeHeapRetention.DefaultHeap))
        {
            errors.Add($"{NativeHeap.Name} = '{heap}' is not a heap setting; allowed: {NativeHeapRetention.RetainHeap}, {NativeHeapRetention.DefaultHeap}.");
        }
        var settings = new JobBenchSettings(workers.Distinct().ToArray(), range.Checked(Steps, 3, 100_000), range.Checked(Repeats, 1, 100), parse.GetValue(Variant),
            model ?? JobModel.QuickStart, heap != NativeHeapRetention.DefaultHeap, parse.GetValue(Classifier));
        return errors.Count == 0 ? (settings, errors) : (null, errors);
    }
}
