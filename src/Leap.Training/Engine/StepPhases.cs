using System.Diagnostics;

namespace Leap.Training.Engine;

/// <summary>
/// Where one step's wall time went, phase by phase, in the order the step ran them: each <see cref="Mark"/> closes the
/// phase that began at the previous mark (or at construction). Written per step to metrics.jsonl (phases_ms), so a slow
/// step can be traced to its data wait, forward, a collective or the backward without a profiler.
/// </summary>
public sealed class StepPhases
{
    private readonly List<(string Phase, TimeSpan Duration)> _phases = new(10);
    private long _last = Stopwatch.GetTimestamp();

    public IReadOnlyList<(string Phase, TimeSpan Duration)> Phases => _phases;

    /// <summary>Ends the current phase, naming it.</summary>
    public void Mark(string phase)
    {
        long now = Stopwatch.GetTimestamp();
        _phases.Add((phase, Stopwatch.GetElapsedTime(_last, now)));
        _last = now;
    }
}
