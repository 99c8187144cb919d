using System.Text.Json;
using Leap.Collectives;
using Leap.Core.Statistics;
using Leap.Training.Configuration;
using Leap.Training.Data;
using Leap.Training.Distributed;
using Leap.Training.Engine;
using Leap.Training.Hooks;
using static TorchSharp.torch;

namespace Leap.Training.Tests;

/// <summary>Each step's phase times in metrics.jsonl: named in the order the step runs them, adding up to the step.</summary>
public sealed class StepPhasesTests : IDisposable
{
    private static readonly int[] Counts = [30, 20, 5, 3, 2];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-phases-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Mark_ClosesEachPhaseAtTheNextMark()
    {
        var phases = new StepPhases();
        Thread.Sleep(20);
        phases.Mark("first");
        phases.Mark("second");

        Assert.Equal(["first", "second"], phases.Phases.Select(p => p.Phase));
        Assert.InRange(phases.Phases[0].Duration.TotalMilliseconds, 15, 5_000);
        Assert.True(phases.Phases[1].Duration < phases.Phases[0].Duration);
    }

    [Fact]
    public void LocalStep_MetricsJsonl_HasItsPhasesInOrderWithinTheStepTime()
    {
        set_num_threads(1);
        using var data = SyntheticData.LongTailed(Counts, seed: 3);
        var options = Options("single");
        using var session = new TrainingSession(options, data.SamplesPerClass(), data.Shape, CPU);
        var plan = new EpochPlan(options.Seed, data.Count, options.BatchSize);
        var metrics = new MetricsJsonlHook(Path.Combine(options.OutputDirectory, MetricsJsonlHook.FileName), options.BatchSize);

        new Trainer(session, new LocalStep(session, new ImageSetBatches(data, plan), plan), [new CentreRefreshHook(), metrics]).Run();

        AssertPhases(Path.Combine(options.OutputDirectory, MetricsJsonlHook.FileName), options, ["data", "forward", "loss", "backward", "optimizer"]);
    }

    [Fact]
    public void DataParallelStep_MetricsJsonl_NamesEveryCollectivePhase()
    {
        set_num_threads(1);
        using var data = SyntheticData.LongTailed(Counts, seed: 3);
        EquivalentRuns.OnRanks(2, (collectives, rank) =>
        {
            var options = Options($"rank{rank}");
            using var session = new TrainingSession(options, data.SamplesPerClass(), data.Shape, CPU, ClassShard.For(Counts.Length, rank, 2));
            var plan = new EpochPlan(options.Seed, data.Count, options.BatchSize);
            var metrics = new MetricsJsonlHook(Path.Combine(options.OutputDirectory, MetricsJsonlHook.FileName), options.BatchSize);
            var recorder = new LossRecorder();
            new Trainer(session, new DataParallelStep(session, new ImageSetBatches(data, plan, rank, 2), plan, collectives), [new CentreRefreshHook(), metrics, recorder]).Run();
            return RunResult.Of(rank, session, recorder);
        });

        AssertPhases(Path.Combine(_root, "rank0", MetricsJsonlHook.FileName), Options("rank0"),
            ["data", "forward", "gather", "loss", "classifier backward", "feature gradient all-reduce", "backward", "gradient all-reduce", "optimizer"]);
    }

    private static void AssertPhases(string path, TrainingOptions options, string[] expected)
    {
        var lines = File.ReadLines(path).Select(l => JsonDocument.Parse(l).RootElement).Where(e => e.GetProperty("kind").GetString() == "train").ToList();
        Assert.Equal(options.Steps, lines.Count);
        foreach (var line in lines)
        {
            var phases = line.GetProperty("phases_ms").EnumerateObject().ToList();
            Assert.Equal(expected, phases.Select(p => p.Name));
            double stepMs = options.BatchSize / line.GetProperty("images_per_second").GetDouble() * 1000;
            double sum = phases.Sum(p => p.Value.GetDouble());
            Assert.All(phases, p => Assert.True(p.Value.GetDouble() >= 0));
            Assert.InRange(sum, 0.5 * stepMs, stepMs + 0.01);
        }
    }

    private TrainingOptions Options(string name) => new()
    {
        Seed = 4,
        BatchSize = 12,
        Steps = 4,
        OutputDirectory = Directory.CreateDirectory(Path.Combine(_root, name)).FullName,
        Model = { EmbeddingDimension = 8 },
        Loss = { Scale = 16, MarginValue = 0.2 },
        Leap = { Variant = LeapVariant.Full, HeadThreshold = 10, RefreshInterval = 1, CloudStartIteration = 1 },
        Optimizer = { LearningRate = 0.05 },
        Schedule = { Kind = ScheduleKind.Constant, WarmupSteps = 0 },
        Checkpoint = { EverySteps = 0 },
    };

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
