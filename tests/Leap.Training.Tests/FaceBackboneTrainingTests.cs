using Leap.Training.Configuration;
using Leap.Training.Data;
using Leap.Training.Engine;
using Leap.Training.Hooks;
using Leap.Training.Modeling;
using static TorchSharp.torch;

namespace Leap.Training.Tests;

/// <summary>The face backbones through <see cref="TrainingSession"/>: built for the data's shape, trainable end to end.</summary>
public sealed class FaceBackboneTrainingTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-tests-" + Guid.NewGuid().ToString("N"));

    private TrainingOptions Options(BackboneKind backbone) => new()
    {
        Seed = 5,
        BatchSize = 8,
        Steps = 3,
        OutputDirectory = _root,
        Threads = 1,
        Model = { Backbone = backbone, EmbeddingDimension = 16 },
        Loss = { Scale = 16, MarginValue = 0.2 },
        Schedule = { Kind = ScheduleKind.Constant, WarmupSteps = 0 },
        Checkpoint = { EverySteps = 0 },
    };

    private static ImageSet GreyImages(int count, int height, int width)
    {
        using var generator = new Generator(11);
        long[] labels = Enumerable.Range(0, count).Select(i => (long)(i % 2)).ToArray();
        return new ImageSet(randn([count, 1, height, width], generator: generator), labels, Enumerable.Range(0, count).Select(i => (long)i).ToArray(), 2);
    }

    [Fact]
    public void Train_MobileFaceNetOnNonSquareGreyImages_TakesStepsWithFiniteLoss()
    {
        set_num_threads(1);
        var options = Options(BackboneKind.MobileFaceNet);
        using var data = GreyImages(16, 48, 32);
        using var session = new TrainingSession(options, data.SamplesPerClass(), data.Shape, CPU);
        var losses = new List<double>();
        var plan = new EpochPlan(options.Seed, data.Count, options.BatchSize);

        new Trainer(session, new LocalStep(session, new ImageSetBatches(data, plan), plan), [new CentreRefreshHook(), new LossRecorder(losses)]).Run();

        Assert.Equal(3, losses.Count);
        Assert.All(losses, l => Assert.True(double.IsFinite(l), $"loss {l}"));
    }

    [Fact]
    public void TrainingSession_IResNetForImagesBelow16Pixels_ThrowsNamingTheSize()
    {
        using var data = GreyImages(4, 8, 8);

        var error = Assert.Throws<ArgumentException>(() => new TrainingSession(Options(BackboneKind.IResNet18), data.SamplesPerClass(), data.Shape, CPU));

        Assert.Contains("8x8", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private sealed class LossRecorder(List<double> losses) : ITrainingHook
    {
        public void AfterStep(TrainingSession session, StepOutcome outcome) => losses.Add(outcome.Loss);
    }
}
