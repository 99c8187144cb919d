using Leap.Core.Statistics;
using Leap.Training.Configuration;
using Leap.Training.Data;
using Leap.Training.Engine;
using Leap.Training.Hooks;
using static TorchSharp.torch;

namespace Leap.Training.Tests;

public sealed class TrainingRunTests : IDisposable
{
    private static readonly int[] Counts = [120, 100, 90, 80, 6, 5, 5, 4, 3, 3];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-tests-" + Guid.NewGuid().ToString("N"));

    private TrainingOptions Options(string output, int refreshLag = 0) => new()
    {
        Seed = 7,
        BatchSize = 32,
        Steps = 200,
        OutputDirectory = output,
        Threads = 1,
        Model = { EmbeddingDimension = 16 },
        Loss = { Scale = 16, MarginValue = 0.2 },
        Leap = { Variant = LeapVariant.Full, HeadThreshold = 20, RefreshInterval = 3, RefreshLag = refreshLag, CloudStartIteration = 20 },
        Optimizer = { LearningRate = 0.05 },
        Schedule = { Kind = ScheduleKind.Cosine, WarmupSteps = 10, MinimumLearningRate = 1e-3 },
        Checkpoint = { EverySteps = 100, Keep = 5 },
    };

    private static List<StepOutcome> Train(TrainingOptions options, ImageSet data, bool resume)
    {
        set_num_threads(1);
        using var session = new TrainingSession(options, data.SamplesPerClass(), data.Shape, CPU);
        if (resume)
        {
            Assert.NotNull(session.TryResume());
        }
        var recorder = new RecordingHook();
        var hooks = new ITrainingHook[]
        {
            new CentreRefreshHook(), recorder,
            new CheckpointHook(options.Checkpoint.EverySteps, Microsoft.Extensions.Logging.Abstractions.NullLogger<CheckpointHook>.Instance),
        };
        new Trainer(session, new LocalStep(session, new ImageSetBatches(data, new EpochPlan(options.Seed, data.Count, options.BatchSize)), new EpochPlan(options.Seed, data.Count, options.BatchSize)), hooks).Run();
        return recorder.Outcomes;
    }

    [Fact]
    public void Run_200StepsLeapFull_ReducesLossAndUsesClouds()
    {
        using var data = SyntheticData.LongTailed(Counts, seed: 3);
        var outcomes = Train(Options(Path.Combine(_root, "a")), data, resume: false);

        Assert.Equal(200, outcomes.Count);
        double first = outcomes.Take(20).Average(o => o.Loss);
        double last = outcomes.TakeLast(20).Average(o => o.Loss);
        Assert.True(last < first * 0.5, $"loss went from {first:F4} to {last:F4}");
        Assert.All(outcomes.Take(20), o => Assert.Equal(0, o.CloudSamples));
        Assert.Contains(outcomes.Skip(20), o => o.CloudSamples > 0);
    }

    [Fact]
    public void Resume_FromStep100Checkpoint_ReproducesSteps101To200() => AssertResumeReproduces(refreshLag: 0);

    /// <summary>
    /// Step 100 is mid-interval (interval 3): the checkpoint holds the buffered step and, with lag 1, the statistics
    /// in use (of the interval before last) besides the completed refresh of the last interval not yet in use.
    /// </summary>
    [Fact]
    public void Resume_RefreshLag1FromStep100Checkpoint_ReproducesSteps101To200() => AssertResumeReproduces(refreshLag: 1);

    private void AssertResumeReproduces(int refreshLag)
    {
        using var data = SyntheticData.LongTailed(Counts, seed: 3);
        string full = Path.Combine(_root, "full");
        var uninterrupted = Train(Options(full, refreshLag), data, resume: false);
        Assert.Contains(uninterrupted.Skip(100), o => o.CloudSamples > 0);

        string resumed = Path.Combine(_root, "resumed");
        Directory.CreateDirectory(Path.Combine(resumed, "checkpoints"));
        CopyDirectory(Path.Combine(full, "checkpoints", "step-000000100"), Path.Combine(resumed, "checkpoints", "step-000000100"));
        var continued = Train(Options(resumed, refreshLag), data, resume: true);

        Assert.Equal(100, continued.Count);
        Assert.Equal(100, continued[0].Step);
        for (int i = 0; i < 100; i++)
        {
            double expected = uninterrupted[100 + i].Loss;
            Assert.True(Math.Abs(continued[i].Loss - expected) <= 1e-5 * Math.Max(1, Math.Abs(expected)),
                $"step {continued[i].Step + 1}: resumed loss {continued[i].Loss} vs uninterrupted {expected}");
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private sealed class RecordingHook : ITrainingHook
    {
        public List<StepOutcome> Outcomes { get; } = [];

        public void AfterStep(TrainingSession session, StepOutcome outcome) =>
            Outcomes.Add(outcome with { Embeddings = empty(0), Labels = empty(0) });
    }
}
