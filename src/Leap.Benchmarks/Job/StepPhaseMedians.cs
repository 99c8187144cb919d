using System.Text.Json;
using System.Text.Json.Serialization;
using Leap.Training.Hooks;

namespace Leap.Benchmarks.Job;

/// <summary>One phase of a training step and its median wall time over a run's steady-state steps.</summary>
public sealed record PhaseTime(
    [property: JsonPropertyName("phase")] string Phase,
    [property: JsonPropertyName("median_ms")] double MedianMilliseconds);

/// <summary>
/// Where a run's steps went: per phase (metrics.jsonl's phases_ms, see <see cref="Training.Engine.StepPhases"/>), the
/// median over the train records after the warm-up, in the order the step runs them. A launch's metrics.jsonl is rank
/// 0's.
/// </summary>
public static class StepPhaseMedians
{
    /// <returns>The phases, or an empty list when the run recorded none (written before phases existed).</returns>
    public static IReadOnlyList<PhaseTime> Read(string runDirectory, int warmupSteps)
    {
        var samples = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (string line in File.ReadLines(Path.Combine(runDirectory, MetricsJsonlHook.FileName)))
        {
            using var record = JsonDocument.Parse(line);
            var root = record.RootElement;
            if (root.GetProperty("kind").GetString() != "train" || root.GetProperty("step").GetInt64() <= warmupSteps
                || !root.TryGetProperty("phases_ms", out var phases))
            {
                continue;
            }

            foreach (var phase in phases.EnumerateObject())
            {
                if (!samples.TryGetValue(phase.Name, out var values))
                {
                    samples[phase.Name] = values = [];
                    order.Add(phase.Name);
                }

                values.Add(phase.Value.GetDouble());
            }
        }

        return order.Select(p => new PhaseTime(p, SteadyStateThroughput.Median(samples[p]))).ToList();
    }

    /// <summary>Per phase, the median of the repeats' medians (phases missing from a repeat are left out of its median).</summary>
    public static IReadOnlyList<PhaseTime> AcrossRepeats(IEnumerable<IReadOnlyList<PhaseTime>?> repeats)
    {
        ArgumentNullException.ThrowIfNull(repeats);
        var lists = repeats.Where(r => r is { Count: > 0 }).Select(r => r!).ToList();
        var order = lists.SelectMany(l => l.Select(p => p.Phase)).Distinct(StringComparer.Ordinal).ToList();
        return order.Select(p => new PhaseTime(p, SteadyStateThroughput.Median(lists.SelectMany(l => l.Where(x => x.Phase == p)).Select(x => x.MedianMilliseconds).ToArray()))).ToList();
    }
}
