using System.CommandLine;
using Leap.Benchmarks.Step;
using Leap.Training.Modeling;

namespace Leap.Cli.Commands;

/// <summary>The model and step-count options `leap bench step` and `leap bench leap-overhead` share, and their validation.</summary>
public sealed class StepBenchOptions
{
    public Option<BackboneKind> Backbone { get; } = new("--backbone") { Description = "ResNet18 or SmallCnn (the other backbones are accepted too; the PyTorch reference has ResNet18 and SmallCnn).", DefaultValueFactory = _ => BackboneKind.ResNet18 };
    public Option<int> Batch { get; } = new("--batch") { Description = "Images per step (B).", DefaultValueFactory = _ => 32 };
    public Option<int> Classes { get; } = new("--classes") { Description = "Classifier rows (C).", DefaultValueFactory = _ => 10_000 };
    public Option<int> Dimension { get; } = new("--dim") { Description = "Embedding size (D).", DefaultValueFactory = _ => 512 };
    public Option<int> Image { get; } = new("--image") { Description = "Input height and width in pixels.", DefaultValueFactory = _ => 112 };
    public Option<int> Threads { get; } = new("--threads") { Description = "Torch intra-op threads, set on both sides.", DefaultValueFactory = _ => Environment.ProcessorCount };
    public Option<int> Warmup { get; } = new("--warmup") { Description = "Untimed steps first.", DefaultValueFactory = _ => 2 };
    public Option<int> Steps { get; } = new("--steps") { Description = "Timed steps.", DefaultValueFactory = _ => 5 };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in new Option[] { Backbone, Batch, Classes, Dimension, Image, Threads, Warmup, Steps })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The settings, or the errors naming each invalid option.</summary>
    public (StepBenchSettings? Settings, IReadOnlyList<string> Errors) Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var errors = new List<string>();
        var range = new OptionRangeCheck(parse, errors);
        var settings = new StepBenchSettings(parse.GetValue(Backbone), range.Checked(Batch, 2, 4096), range.Checked(Classes, 64, 10_000_000),
            range.Checked(Dimension, 2, 8192), range.Checked(Image, 16, 1024), range.Checked(Threads, 1, 1024), range.Checked(Warmup, 0, 1000), range.Checked(Steps, 1, 100_000));
        return errors.Count == 0 ? (settings, errors) : (null, errors);
    }
}
