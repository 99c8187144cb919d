using System.Globalization;
using System.Text;

namespace Leap.Benchmarks.Quality;

/// <summary>
/// Budget probes: single baseline cells trained with one recipe change against the grid's budget (random erasing, a
/// larger input, more steps...), each in its own results directory (<c>leap bench quality --probe NAME</c>), so none
/// of them mixes into the grid. The report sets each probe beside the grid's cell of the same split, method and seed
/// and says whether it reaches issue #12's target: the evidence for "what budget would".
/// </summary>
public static class QualityBudgetProbes
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The results directory of the probe <paramref name="name"/> beside a grid's results directory.</summary>
    public static string DirectoryOf(string gridDirectory, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(gridDirectory);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException($"--probe {name}: use letters, digits, '-' and '_' only.", nameof(name));
        }

        return Path.Combine(RootOf(gridDirectory), name);
    }

    /// <summary>Where every probe of a grid lives: "&lt;grid directory&gt;-probes".</summary>
    public static string RootOf(string gridDirectory) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(gridDirectory)) + "-probes";

    /// <summary>Every probe's cells under <see cref="RootOf"/>, by probe name.</summary>
    public static IReadOnlyList<(string Probe, QualityCellResult Result)> Load(string gridDirectory)
    {
        string root = RootOf(gridDirectory);
        return !Directory.Exists(root)
            ? []
            : Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal)
                .SelectMany(d => new QualityResultCache(d).LoadAll().Select(r => (Path.GetFileName(d), r)))
                .ToArray();
    }

    /// <summary>The parts of a probe's budget text that the grid's text for the same split lacks ("re-ID 128x256 RGB", "random erasing 0.5").</summary>
    public static string Difference(string probeBudget, string gridBudget)
    {
        ArgumentNullException.ThrowIfNull(probeBudget);
        ArgumentNullException.ThrowIfNull(gridBudget);
        var grid = Parts(gridBudget).ToHashSet(StringComparer.Ordinal);
        var changed = Parts(probeBudget).Where(p => !grid.Contains(p)).ToArray();
        return changed.Length == 0 ? "the grid's budget" : string.Join(", ", changed);
    }

    /// <param name="gridBudgetOf">The grid budget's text for a split name (<see cref="QualityBudget.Describe(QualitySplit)"/>).</param>
    public static void Append(StringBuilder md, IReadOnlyList<(string Probe, QualityCellResult Result)> probes, IReadOnlyList<QualityCellResult> grid,
        Func<string, string> gridBudgetOf)
    {
        ArgumentNullException.ThrowIfNull(md);
        ArgumentNullException.ThrowIfNull(probes);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(gridBudgetOf);
        if (probes.Count == 0)
        {
            return;
        }

        md.AppendLine();
        md.AppendLine("## What budget would reach the target? Budget probes");
        md.AppendLine();
        md.AppendLine("Single baseline cells, each trained with a change to the grid's budget (`leap bench quality --probe NAME ...`, results in the probes directory beside the grid's, never mixed into the tables above), set beside the grid's cell of the same split, method and seed. The same test set scores them, so they show what a budget would reach; their test scores choose nothing for the grid. LFW cells also have a validation fold (people neither trained on nor tested): its AUC, the probe's and the grid's cell's, is what a face recipe may be chosen by.");
        md.AppendLine();
        md.AppendLine("| probe | split | method | seed | change to the grid's budget | headline by step | training (min) | grid's cell | difference | target | validation AUC: probe / grid's cell |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (probe, cell) in probes.OrderBy(p => p.Result.Split, StringComparer.Ordinal).ThenBy(p => p.Probe, StringComparer.Ordinal).ThenBy(p => p.Result.Method, StringComparer.Ordinal).ThenBy(p => p.Result.Seed))
        {
            string metric = QualityReportWriter.HeadlineMetric(cell.Split);
            if (!cell.Metrics.TryGetValue(metric, out double value))
            {
                continue;
            }

            QualityCellResult? twin = grid.FirstOrDefault(r => r.Cell == cell.Cell);
            string gridBudget = gridBudgetOf(cell.Split);
            string change = gridBudget.Length == 0 ? $"(split not in this grid) {cell.Budget}" : Difference(cell.Budget, gridBudget);
            string byStep = cell.Curve is { Count: > 0 } curve
                ? string.Join(", ", curve.Where(p => p.Metrics.ContainsKey(metric)).Select(p => string.Create(Invariant, $"{p.Step}: {p.Metrics[metric] * 100:0.0}")))
                : string.Create(Invariant, $"{cell.Steps}: {value * 100:0.0}");
            string twinText = twin is not null && twin.Metrics.TryGetValue(metric, out double twinValue)
                ? string.Create(Invariant, $"{twinValue * 100:0.00}")
                : "—";
            string difference = twin is not null && twin.Metrics.TryGetValue(metric, out double baseValue)
                ? string.Create(Invariant, $"{(value - baseValue) * 100:+0.00;-0.00;0.00}")
                : "—";
            string target = QualityConvergence.TargetPercent(cell.Split) is double t
                ? value * 100 >= t ? string.Create(Invariant, $"{metric} >= {t:0} %: met") : string.Create(Invariant, $"{t - (value * 100):0.0} points below {t:0} %")
                : "none set";
            string validation = cell.Metrics.TryGetValue(LfwQualityProtocol.ValidationAucMetric, out double probeAuc)
                ? string.Create(Invariant, $"{probeAuc * 100:0.00} / {(twin is not null && twin.Metrics.TryGetValue(LfwQualityProtocol.ValidationAucMetric, out double gridAuc) ? string.Create(Invariant, $"{gridAuc * 100:0.00}") : "—")}")
                : "—";
            md.AppendLine(Invariant, $"| {probe} | {cell.Split} | {cell.Method} | {cell.Seed} | {change} | {byStep} | {cell.TrainSeconds / 60:0.0} | {twinText} | {difference} | {target} | {validation} |");
        }
    }

    private static IEnumerable<string> Parts(string budget) => budget.Split(", ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
