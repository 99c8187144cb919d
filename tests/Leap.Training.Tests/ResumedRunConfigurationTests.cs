using Leap.Core.Margins;
using Leap.Runs;
using Leap.Training.Configuration;

namespace Leap.Training.Tests;

/// <summary>Issue 13, finding 12: a run directory belongs to one configuration; resuming it with another is refused naming the keys.</summary>
public sealed class ResumedRunConfigurationTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-resume-config-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Differences_MethodChanged_NamesEachKeyWithOldAndNewValue()
    {
        var saved = new TrainingOptions();
        var requested = new TrainingOptions { Loss = new LossOptions { Margin = MarginKind.ArcFace }, Leap = new LeapOptions { Variant = Core.Statistics.LeapVariant.None } };

        var differences = ResumedRunConfiguration.Differences(saved, requested);

        Assert.Equal(["Training:Leap:Variant (Full -> None)", $"Training:Loss:Margin ({saved.Loss.Margin} -> ArcFace)"], differences);
    }

    [Fact]
    public void Differences_OperationalKeysOnly_NoneReported()
    {
        var saved = new TrainingOptions();
        var requested = new TrainingOptions
        {
            Steps = 5000, Threads = 3, OutputDirectory = "/elsewhere", LogEverySteps = 7,
            Checkpoint = new CheckpointOptions { EverySteps = 11 },
            Evaluation = new EvaluationOptions { EverySteps = 100, Sets = [new EvaluationSetOptions { Path = "pairs.txt" }] },
            Data = new DataOptions { DecodeThreads = 6, PrefetchBatches = 9 },
        };

        Assert.Empty(ResumedRunConfiguration.Differences(saved, requested));
    }

    [Fact]
    public void Train_ResumeWithAnotherMethod_Exit2NamingTheKeysAndKeepsTheRun()
    {
        string data = Path.Combine(_root, "idx");
        IdxFixture.Write(data, [60, 60, 60, 60], testPerClass: 10, seed: 5);
        string output = Path.Combine(_root, "run");
        string[] common = ["train", "--no-progress", "--set", $"Data:Path={data}", "--set", "Data:HeadClasses=2", "--set", "Data:SamplesPerTailClass=8",
            "--set", "BatchSize=16", "--set", "Evaluation:Pairs=100", "--set", "Threads=1", "--set", $"OutputDirectory={output}"];

        var first = LeapProcess.Run(Timeout, [.. common, "--set", "Steps=10"]);
        Assert.True(first.ExitCode == 0, $"exit {first.ExitCode}\n{first.Output}\n{first.Error}");
        string config = File.ReadAllText(Path.Combine(output, "config.json"));

        var other = LeapProcess.Run(Timeout, [.. common, "--set", "Steps=20", "--set", "Loss:Margin=ArcFace", "--set", "Leap:Variant=None"]);

        Assert.Equal(2, other.ExitCode);
        Assert.Contains("Training:Loss:Margin", other.Error, StringComparison.Ordinal);
        Assert.Contains("Training:Leap:Variant (Full -> None)", other.Error, StringComparison.Ordinal);
        Assert.Contains("Checkpoint:Resume=false", other.Error, StringComparison.Ordinal);
        Assert.Equal(config, File.ReadAllText(Path.Combine(output, "config.json")));

        var longer = LeapProcess.Run(Timeout, [.. common, "--set", "Steps=20"]);
        Assert.True(longer.ExitCode == 0, $"exit {longer.ExitCode}\n{longer.Output}\n{longer.Error}");
        Assert.Contains("at step 10", longer.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_ResumedFromAnEarlierCheckpoint_MetricsJsonlHasEveryStepOnce()
    {
        string data = Path.Combine(_root, "idx");
        IdxFixture.Write(data, [60, 60, 60, 60], testPerClass: 10, seed: 5);
        string output = Path.Combine(_root, "run");
        string[] args = ["train", "--no-progress", "--set", $"Data:Path={data}", "--set", "Data:HeadClasses=2", "--set", "Data:SamplesPerTailClass=8",
            "--set", "BatchSize=16", "--set", "Evaluation:Pairs=100", "--set", "Threads=1", "--set", $"OutputDirectory={output}",
            "--set", "Steps=10", "--set", "Checkpoint:EverySteps=5", "--set", "Checkpoint:Keep=3"];
        var first = LeapProcess.Run(Timeout, args);
        Assert.True(first.ExitCode == 0, $"exit {first.ExitCode}\n{first.Output}\n{first.Error}");
        // As if the process had died after step 10 but before its checkpoint: the newest checkpoint is step 5's.
        Directory.Delete(Path.Combine(output, "checkpoints", "step-000000010"), recursive: true);

        var again = LeapProcess.Run(Timeout, args);

        Assert.True(again.ExitCode == 0, $"exit {again.ExitCode}\n{again.Output}\n{again.Error}");
        Assert.Contains("at step 5", again.Output, StringComparison.Ordinal);
        long[] steps = File.ReadLines(Path.Combine(output, "metrics.jsonl"))
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("kind").GetString() == "train")
            .Select(e => e.GetProperty("step").GetInt64()).ToArray();
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), steps);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
