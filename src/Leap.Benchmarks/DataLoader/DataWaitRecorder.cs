using System.Diagnostics;
using Leap.Training.Engine;
using Leap.Training.Hooks;

namespace Leap.Benchmarks.DataLoader;

/// <summary>Records each step's time, the part of it spent waiting for the batch, and the process CPU time after it.</summary>
public sealed class DataWaitRecorder : ITrainingHook
{
    private readonly List<(TimeSpan Elapsed, TimeSpan Wait, TimeSpan ProcessCpu)> _steps = [];
    private TimeSpan _startCpu;

    public IReadOnlyList<(TimeSpan Elapsed, TimeSpan Wait, TimeSpan ProcessCpu)> Steps => _steps;

    public void BeforeTrain(TrainingSession session) => _startCpu = Process.GetCurrentProcess().TotalProcessorTime;

    public void AfterStep(TrainingSession session, StepOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        _steps.Add((outcome.Elapsed, outcome.DataWait, Process.GetCurrentProcess().TotalProcessorTime));
    }

    /// <summary>Process CPU seconds per step over the steps after the first <paramref name="warmupSteps"/>.</summary>
    public double CpuSecondsPerStep(int warmupSteps)
    {
        int timed = _steps.Count - warmupSteps;
        if (timed <= 0)
        {
            return 0;
        }

        TimeSpan start = warmupSteps == 0 ? _startCpu : _steps[warmupSteps - 1].ProcessCpu;
        return (_steps[^1].ProcessCpu - start).TotalSeconds / timed;
    }
}
