using System.Globalization;
using System.Text;

namespace Leap.Benchmarks.Quality;

/// <summary>
/// The report's section on the overlapped refresh (issue #14): LEAP-CF-Lag1 (clouds drawn from the statistics one
/// interval late, Leap:RefreshLag = 1) against LEAP-CF (lag 0), per split and seed, and paired by seed once two seeds of
/// both exist. Written only when a lag-1 cell was run.
/// </summary>
public static class RefreshLagComparison
{
    public const string Lagged = "LEAP-CF-Lag1";

    public const string Baseline = "LEAP-CF";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Append(StringBuilder md, IReadOnlyList<QualityCellResult> found)
    {
        ArgumentNullException.ThrowIfNull(md);
        ArgumentNullException.ThrowIfNull(found);
        var lagged = found.Where(r => r.Method == Lagged).OrderBy(r => r.Split, StringComparer.Ordinal).ThenBy(r => r.Seed).ToList();
        if (lagged.Count == 0)
        {
            return;
        }

        md.AppendLine();
        md.AppendLine("## Overlapped refresh: Leap:RefreshLag = 1 against 0");
        md.AppendLine();
        md.AppendLine(Invariant, $"{Lagged} is {Baseline} with the centre refresh overlapped with training: the clouds of an interval use the statistics of the interval before the one just ended. Same seed = same initialisation and batch order, so the difference is the lag's alone (and the non-determinism of multi-threaded CPU kernels).");
        md.AppendLine();
        md.AppendLine("| split | seed | metric | lag 0 | lag 1 | lag 1 - lag 0 |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (QualityCellResult cell in lagged)
        {
            QualityCellResult? pair = found.FirstOrDefault(r => r.Split == cell.Split && r.Seed == cell.Seed && r.Method == Baseline);
            foreach (string metric in Metrics(cell.Split))
            {
                double lag1 = cell.Metrics.GetValueOrDefault(metric, double.NaN) * 100;
                double lag0 = pair?.Metrics.GetValueOrDefault(metric, double.NaN) * 100 ?? double.NaN;
                md.AppendLine(Invariant, $"| {cell.Split} | {cell.Seed} | {metric} | {Format(lag0)} | {Format(lag1)} | {(double.IsNaN(lag0) ? "—" : (lag1 - lag0).ToString("+0.00;-0.00", Invariant))} |");
            }
        }

        var notes = new List<string>();
        foreach (var split in lagged.GroupBy(r => r.Split))
        {
            foreach (string metric in Metrics(split.Key))
            {
                Dictionary<long, double> Values(string method) => found
                    .Where(r => r.Split == split.Key && r.Method == method && r.Metrics.ContainsKey(metric))
                    .ToDictionary(r => r.Seed, r => r.Metrics[metric] * 100);
                double[] baseline = [.. Values(Baseline).Values];
                if (baseline.Length >= 2)
                {
                    double sd = QualityReportWriter.SampleStandardDeviation(baseline);
                    notes.Add(string.Create(Invariant, $"- {split.Key} {metric}: for scale, {Baseline}'s own standard deviation over its {baseline.Length} seeds is {sd:0.00} points."));
                }
                if (PairedSeedComparison.Of(Values(Baseline), Values(Lagged)) is { } comparison)
                {
                    notes.Add(string.Create(Invariant, $"- {split.Key} {metric}, lag 1 - lag 0 paired by seed: {comparison.Describe()}; detectable {comparison.DetectableDifference:0.00}."));
                }
            }
        }

        if (notes.Count > 0)
        {
            md.AppendLine();
            notes.ForEach(note => md.AppendLine(note));
        }
    }

    private static string[] Metrics(string split) => QualityReportWriter.ProtocolOf(split) == "lfw" ? ["accuracy"] : ["rank1", "mAP"];

    private static string Format(double value) => double.IsNaN(value) ? "—" : value.ToString("0.00", Invariant);
}
