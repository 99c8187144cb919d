using System.Diagnostics;
using Leap.Core.Margins;
using Leap.Core.Statistics;
using Leap.Training.Configuration;
using Leap.Training.Data;
using Leap.Training.Engine;
using Leap.Training.Hooks;
using static TorchSharp.torch;

namespace Leap.Benchmarks.Step;

/// <summary>
/// Our single-process training step (<see cref="LocalStep"/> + the centre tracker hook) on synthetic data: a session
/// of the given model and loss, built once, stepped on demand. The synthetic set has 8 head classes of 20 images and
/// 48 tail classes of 2; the other classes claim K_i = 2 without images, so LEAP's statistics have head and tail
/// classes and feature clouds from the first steps on (cloud start 0, refresh every step).
/// </summary>
public sealed class TrainerStepProbe : IDisposable
{
    private const int HeadClasses = 8;
    private readonly ImageSet _data;
    private readonly TrainingSession _session;
    private readonly LocalStep _step;
    private readonly CentreRefreshHook _hook = new();
    private readonly List<(double Step, double Hook, double Cpu, long Managed, int Cloud)> _timed = [];

    public TrainerStepProbe(StepBenchSettings settings, MarginKind margin, LeapVariant variant, string scratchDirectory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        Method = StepBenchSettings.MethodName(margin, variant);
        var options = new TrainingOptions
        {
            Seed = 1,
            BatchSize = settings.Batch,
            Steps = long.MaxValue,
            OutputDirectory = Path.Combine(scratchDirectory, Method),
            Model = { Backbone = settings.Backbone, EmbeddingDimension = settings.Dimension },
            Loss = { Margin = margin, Scale = 64, MarginValue = StepBenchSettings.MarginValue(margin) },
            Leap = { Variant = variant, CloudStartIteration = 0, RefreshInterval = 1 },
            Schedule = { Kind = ScheduleKind.Constant, WarmupSteps = 0 },
            Checkpoint = { EverySteps = 0 },
        };
        var labels = Enumerable.Range(0, StepBenchSettings.DatasetImages)
            .Select(i => (long)(i < HeadClasses * 20 ? i / 20 : HeadClasses + (i - HeadClasses * 20) / 2)).ToArray();
        var generator = new Generator(7);
        _data = new ImageSet(randn([labels.Length, StepBenchSettings.Channels, settings.Image, settings.Image], generator: generator),
            labels, Enumerable.Range(0, labels.Length).Select(i => (long)i).ToArray(), settings.Classes);
        generator.Dispose();
        var counts = Enumerable.Range(0, settings.Classes).Select(c => c < HeadClasses ? 20 : 2).ToArray();
        _session = new TrainingSession(options, counts, _data.Shape, CPU);
        var plan = new EpochPlan(options.Seed, _data.Count, options.BatchSize);
        _step = new LocalStep(_session, new ImageSetBatches(_data, plan), plan);
    }

    public StepBenchSettings Settings { get; }
    public string Method { get; }

    /// <summary>Runs one step and its hook; timed unless <paramref name="warmUp"/>.</summary>
    public void Run(bool warmUp)
    {
        long managed = GC.GetAllocatedBytesForCurrentThread();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var (total, hookSeconds, cloudSamples) = HookedStep.Run(_step, _session, _hook);
        if (!warmUp)
        {
            _timed.Add((total, hookSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds,
                GC.GetAllocatedBytesForCurrentThread() - managed, cloudSamples));
        }
    }

    public StepTiming Timing(double loadAverage)
    {
        if (_timed.Count == 0)
        {
            throw new InvalidOperationException("No timed steps yet.");
        }
        var s = Settings;
        double mean = _timed.Average(t => t.Step);
        return new StepTiming("leap", $"Leap.Distributed, TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version}",
            s.Backbone.ToString(), s.Batch, s.Classes, s.Dimension, s.Image, get_num_threads(), s.WarmupSteps, _timed.Count,
            mean, _timed.Min(t => t.Step), s.Batch / mean, _timed.Average(t => t.Cpu), loadAverage)
        {
            Method = Method,
            HookSeconds = _timed.Average(t => t.Hook),
            CloudSampleFraction = _timed.Sum(t => (double)t.Cloud) / (_timed.Count * (double)s.Batch),
            ManagedBytesPerStep = _timed.Average(t => (double)t.Managed),
        };
    }

    public void Dispose()
    {
        _session.Dispose();
        _data.Dispose();
    }
}
