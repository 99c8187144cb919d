using Leap.Benchmarks.Step;
using Leap.Core.Margins;
using Leap.Core.Statistics;
using Leap.Training.Modeling;

namespace Leap.Training.Tests;

/// <summary>
/// Issue target: no per-step managed allocations that grow with the class count C in the hot path. A LEAP-CF step
/// plus the centre-tracker hook (statistics refreshed every step) is measured with GC.GetAllocatedBytesForCurrentThread
/// at C = 2,000 and C = 50,000: class-sized managed arrays (C doubles = 400 KB at 50K) would show up at once.
/// </summary>
public sealed class HotPathAllocationTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-alloc-" + Guid.NewGuid().ToString("N"));

    private double ManagedBytesPerStep(int classes, MarginKind margin)
    {
        var settings = new StepBenchSettings(BackboneKind.SmallCnn, Batch: 16, Classes: classes, Dimension: 32, Image: 16, Threads: 1, WarmupSteps: 3, Steps: 6);
        using var probe = new TrainerStepProbe(settings, margin, LeapVariant.Full, Path.Combine(_root, classes.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        for (int i = 0; i < settings.WarmupSteps; i++)
        {
            probe.Run(warmUp: true);
        }

        for (int i = 0; i < settings.Steps; i++)
        {
            probe.Run(warmUp: false);
        }

        return probe.Timing(loadAverage: 0).ManagedBytesPerStep;
    }

    [Theory]
    [InlineData(MarginKind.CosFace)]
    [InlineData(MarginKind.ArcFace)]
    public void LeapStep_ManagedAllocations_DoNotGrowWithClassCount(MarginKind margin)
    {
        double small = ManagedBytesPerStep(2_000, margin);
        double large = ManagedBytesPerStep(50_000, margin);
        output.WriteLine($"{margin}: {small:N0} managed bytes per step at C = 2,000, {large:N0} at C = 50,000");

        Assert.True(large <= (small * 1.25) + (32 * 1024), $"managed bytes per step: {small:N0} at C = 2,000, {large:N0} at C = 50,000");
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
