using System.Globalization;
using System.Text;
using Leap.Benchmarks.Quality;

namespace Leap.Benchmarks.Report;

/// <summary>
/// Partial FC's LFW accuracy against the full classifier, read from the quality benchmark's cached cells
/// (docs/bench/quality): per LFW split, the full CosFace / LEAP-CF and their r = 0.1, 0.3 variants over the same seeds,
/// with a within-noise verdict on the difference of the means.
/// </summary>
public sealed class PartialFcAccuracySection : IBenchmarkSection
{
    private const int MinimumSeeds = 3;
    private static readonly string[] FullMethods = ["CosFace", "LEAP-CF"];
    private static readonly double[] Rates = [0.1, 0.3];

    public string Title => "Partial FC accuracy on LFW";

    public void Render(BenchmarkResults results, StringBuilder markdown)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(markdown);
        var c = CultureInfo.InvariantCulture;
        markdown.AppendLine("Command: `leap bench quality --grid v1 --protocol lfw --seeds 3 --methods CosFace CosFace-PFC0.1 CosFace-PFC0.3 --report docs/partial-fc.md` (LEAP-CF-PFC0.1/0.3 likewise), then `leap bench report`; the cells are those of docs/results-v1.md (same budget, data and hyper-parameters; see there). Accuracy in %, mean ± sample sd over seeds 1..n.");
        markdown.AppendLine(c, $"Difference = partial FC - full, paired by seed (a seed fixes the initialisation and the batch order): mean ± standard error in points, and a paired t-test at 5% (two-sided); \"within noise\" = not significant. Decided only with at least {MinimumSeeds} shared seeds.");
        markdown.AppendLine();
        var cells = new QualityResultCache(Path.Combine(results.Directory, "quality")).LoadAll()
            .Where(r => r.Split.StartsWith("lfw-", StringComparison.Ordinal) && r.Metrics.ContainsKey("accuracy"))
            .ToList();
        var rows = new List<string>();
        var differences = new List<double>();
        // Only cells of one recipe (steps and augmentation) are compared with each other.
        var groups = cells.GroupBy(r => (r.Split, r.Recipe)).OrderBy(g => g.Key.Split, StringComparer.Ordinal).ThenBy(g => g.Key.Recipe.Steps).ToList();
        foreach (var group in groups)
        {
            string split = groups.Count(g => g.Key.Split == group.Key.Split) > 1 ? $"{group.Key.Split} ({group.Key.Recipe})" : group.Key.Split;
            foreach (string full in FullMethods)
            {
                var baseline = Accuracies(group, full);
                foreach (double rate in Rates)
                {
                    string method = string.Create(c, $"{full}-PFC{rate}");
                    var sampled = Accuracies(group, method);
                    if (baseline.Count == 0 || sampled.Count == 0)
                    {
                        continue;
                    }

                    var comparison = PairedSeedComparison.Of(baseline, sampled);
                    if (comparison is not null)
                    {
                        differences.Add(comparison.MeanDifference);
                    }

                    string detectable = comparison is null ? "—" : string.Create(c, $"{comparison.CriticalT * comparison.StandardError:0.00}");
                    rows.Add(string.Create(c, $"| {split} | {full} | {rate} | {QualityReportWriter.MeanStd([.. baseline.Values])} (n = {baseline.Count}) | {QualityReportWriter.MeanStd([.. sampled.Values])} (n = {sampled.Count}) | {Verdict(comparison)} | {detectable} |"));
                }
            }
        }

        if (rows.Count == 0)
        {
            markdown.AppendLine("No results yet: run the command above.");
            return;
        }

        markdown.AppendLine("| split | full method | r | full | partial FC | partial - full (paired by seed) | smallest significant difference |");
        markdown.AppendLine("|---|---|---|---|---|---|---|");
        rows.ForEach(r => markdown.AppendLine(r));
        markdown.AppendLine();
        if (differences.Count > 0)
        {
            markdown.AppendLine(c, $"Reading it: {differences.Count(d => d < 0)} of {differences.Count} mean differences are negative (mean {differences.Average():+0.00;-0.00} points). \"Within noise\" means no evidence of a loss larger than the last column (t critical x standard error: with 3 seeds the test needs |t| > 4.30), not evidence that there is none; more seeds or more test pairs (more LFW folds) shrink that bound.");
            markdown.AppendLine();
        }

        markdown.AppendLine("What limits it: at r < 1 each step updates every positive class but only about r of the negative rows (row-sparse SGD), so within a fixed step budget a negative row is pushed away about r times as often as with the full classifier; InsightFace trains partial FC for tens of epochs on millions of images, where every row still sees many updates. The budget here is a few epochs of a 2-core machine.");
    }

    /// <summary>The paired comparison in words, or "n &lt; 3 shared seeds: undecided".</summary>
    public static string Verdict(IReadOnlyDictionary<long, double> full, IReadOnlyDictionary<long, double> sampled) =>
        Verdict(PairedSeedComparison.Of(full, sampled));

    private static string Verdict(PairedSeedComparison? comparison) =>
        comparison is null || comparison.Seeds < MinimumSeeds
            ? string.Create(CultureInfo.InvariantCulture, $"n < {MinimumSeeds} shared seeds: undecided")
            : comparison.Describe("above", "below");

    private static Dictionary<long, double> Accuracies(IEnumerable<QualityCellResult> cells, string method) =>
        cells.Where(r => r.Method == method).ToDictionary(r => r.Seed, r => r.Metrics["accuracy"] * 100);
}
