using Leap.Core.Statistics;
using Leap.Training.Configuration;
using Leap.Training.Data;
using Leap.Training.Engine;
using Leap.Training.Hooks;
using Leap.Training.Metrics;
using static TorchSharp.torch;

namespace Leap.Training.Tests;

/// <summary>The trainer's NaN/Inf guard: a step with a non-finite loss is skipped (no update), counted, and too many abort the run.</summary>
public sealed class NonFiniteLossTests : IDisposable
{
    private static readonly int[] Counts = [20, 20, 4, 4];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-nonfinite-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private TrainingOptions Options(long steps, int maxNonFinite) => new()
    {
        Seed = 5,
        BatchSize = 8,
        Steps = steps,
        MaxNonFiniteSteps = maxNonFinite,
        OutputDirectory = _root,
        Threads = 1,
        Model = { EmbeddingDimension = 8, BatchNorm = false },
        Leap = { Variant = LeapVariant.Full, HeadThreshold = 10 },
        Schedule = { Kind = ScheduleKind.Constant, WarmupSteps = 0 },
        Checkpoint = { EverySteps = 0 },
    };

    /// <summary>The synthetic set with a NaN pixel in every image, so every batch's loss is NaN.</summary>
    private static ImageSet PoisonedData()
    {
        using var clean = SyntheticData.LongTailed(Counts, seed: 5);
        return ParameterSnapshot.WithNaNPixel(clean, Counts.Length);
    }

    private static Dictionary<string, Tensor> Snapshot(TrainingSession session) => ParameterSnapshot.Of(session);

    [Fact]
    public void Run_NaNLossOnEveryStepWithinTheLimit_SkipsEveryUpdateAndCountsTheSteps()
    {
        set_num_threads(1);
        var options = Options(steps: 3, maxNonFinite: 3);
        using var data = PoisonedData();
        using var session = new TrainingSession(options, data.SamplesPerClass(), data.Shape, CPU);
        var before = Snapshot(session);
        var metrics = new TrainerMetrics(Prometheus.Metrics.NewCustomRegistry());
        var skipped = new List<bool>();
        var hooks = new ITrainingHook[] { new CentreRefreshHook(), new MetricsHook(metrics), new SkipRecorder(skipped) };

        new Trainer(session, new LocalStep(session, new ImageSetBatches(data, new EpochPlan(options.Seed, data.Count, options.BatchSize)), new EpochPlan(options.Seed, data.Count, options.BatchSize)), hooks).Run();

        Assert.Equal([true, true, true], skipped);
        Assert.Equal(3, session.NonFiniteSteps);
        Assert.Equal(3, metrics.NonFiniteSteps.Value);
        foreach (var (name, parameter) in Snapshot(session))
        {
            Assert.True(parameter.eq(before[name]).all().item<bool>(), $"parameter {name} changed although every step was skipped");
        }
    }

    [Fact]
    public void Run_MoreNaNStepsThanMaxNonFiniteSteps_AbortsNamingTheKeyAfterTheLimitPlusOne()
    {
        set_num_threads(1);
        var options = Options(steps: 50, maxNonFinite: 2);
        using var data = PoisonedData();
        using var session = new TrainingSession(options, data.SamplesPerClass(), data.Shape, CPU);
        var before = Snapshot(session);

        var error = Assert.Throws<InvalidOperationException>(() =>
            new Trainer(session, new LocalStep(session, new ImageSetBatches(data, new EpochPlan(options.Seed, data.Count, options.BatchSize)), new EpochPlan(options.Seed, data.Count, options.BatchSize)), [new CentreRefreshHook()]).Run());

        Assert.Contains("Training:MaxNonFiniteSteps = 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("aborting at step 2", error.Message, StringComparison.Ordinal);
        Assert.Equal((3L, 3), (session.Step, session.NonFiniteSteps));
        Assert.All(Snapshot(session), p => Assert.True(p.Value.eq(before[p.Key]).all().item<bool>(), $"parameter {p.Key} changed"));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(2_000_000)]
    public void Validate_MaxNonFiniteStepsOutOfRange_FailsNamingTheKey(int value)
    {
        var options = new TrainingOptions { MaxNonFiniteSteps = value };

        var errors = TrainingOptionsValidator.Validate(options);

        var error = Assert.Single(errors);
        Assert.StartsWith($"Training:MaxNonFiniteSteps = {value} is out of range", error, StringComparison.Ordinal);
    }

    private sealed class SkipRecorder(List<bool> skipped) : ITrainingHook
    {
        public void AfterStep(TrainingSession session, StepOutcome outcome) => skipped.Add(outcome.Skipped);
    }
}
