using System.Globalization;

namespace Leap.Benchmarks.Quality;

/// <summary>
/// How long a grid cell trains, per protocol: the median and the range of the finished cells' training time. A mean
/// would mislead on a shared machine: a few cells trained beside other jobs take several times the usual pace.
/// </summary>
public static class CellTrainingTime
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>One protocol's training time per cell, in seconds.</summary>
    public sealed record ProtocolPace(string Protocol, int Cells, double MedianSeconds, double MinSeconds, double MaxSeconds);

    /// <summary>The finished cells' pace per protocol, in the order the protocols first appear.</summary>
    public static IReadOnlyList<ProtocolPace> Measure(IReadOnlyList<QualityCellResult> found)
    {
        ArgumentNullException.ThrowIfNull(found);
        return found
            .GroupBy(r => QualityReportWriter.ProtocolOf(r.Split))
            .Select(g =>
            {
                double[] seconds = g.Select(r => r.TrainSeconds).ToArray();
                return new ProtocolPace(g.Key, seconds.Length, Job.SteadyStateThroughput.Median(seconds), seconds.Min(), seconds.Max());
            })
            .ToList();
    }

    /// <summary>"lfw 17.3 min (15.6–29.9 min, 16 cells); market 15.5 min (12.9–101.0 min, 37 cells)".</summary>
    public static string Describe(IReadOnlyList<ProtocolPace> paces)
    {
        ArgumentNullException.ThrowIfNull(paces);
        return paces.Count == 0
            ? "no finished cell"
            : string.Join("; ", paces.Select(p => string.Create(Invariant,
                $"{p.Protocol} {p.MedianSeconds / 60:F1} min ({p.MinSeconds / 60:F1}–{p.MaxSeconds / 60:F1} min, {p.Cells} {(p.Cells == 1 ? "cell" : "cells")})")));
    }
}
