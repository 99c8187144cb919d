
using Leap.Reporting;

namespace Leap.Benchmarks.Job;

/// <summary>Steady-state images/s of a run: the median of the train records' images_per_second in metrics.jsonl after the warm-up steps.</summary>
public static class SteadyStateThroughput
{
    /// <summary>The median over the steps after <paramref name="warmupSteps"/> (a record's step counts completed steps).</summary>
    /// <exception cref="InvalidDataException">No train record after the warm-up has a finite images_per_second.</exception>
    public static double Median(string runDirectory, int warmupSteps)
    {
        var rates = MetricsLog.Read(runDirectory).Train
            .Where(p => p.Step > warmupSteps && double.IsFinite(p.ImagesPerSecond))
            .Select(p => p.ImagesPerSecond)
            .ToArray();
        return rates.Length > 0
            ? Median(rates)
            : throw new InvalidDataException($"{Path.Combine(runDirectory, Training.Hooks.MetricsJsonlHook.FileName)} has no train record after step {warmupSteps}.");
    }

    public static double Median(IReadOnlyCollection<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("The median of no values is undefined.", nameof(values));
        }
        double[] sorted = values.Order().ToArray();
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
