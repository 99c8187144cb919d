using System.Globalization;
using System.Text;
using Leap.Cli.Benchmarks.Quality;

namespace Leap.Cli.Benchmarks.Report;

/// <summary>
/// Partial FC's LFW accuracy against the full classifier, read from the quality benchmark's cached cells
/// (docs/bench/quality): per LFW split, the full CosFace / LEAP-CF and their r = 0.1, 0.3 variants over the same seeds,
/// with a within-noise verdict on the difference of the means.
/// </summary>
public sealed class PartialFcAccuracySection : IBenchmarkSection
{
    /// <summary>A difference counts as noise when it is within this many standard errors (about a two-sided 95% test).</summary>
    public const double NoiseStandardErrors = 2;

    private const int MinimumSeeds = 3;
    private static readonly string[] FullMethods = ["CosFace", "LEAP-CF"];
    private static readonly double[] Rates = [0.1, 0.3];

    public string Title => "Partial FC accuracy on LFW";

    public void Render(BenchmarkResults results, StringBuilder markdown)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(markdown);
        var c = CultureInfo.InvariantCulture;
        markdown.AppendLine("Command: `leap bench quality --protocol lfw --seeds 3 --methods CosFace CosFace-PFC0.1 CosFace-PFC0.3 --report docs/partial-fc.md` (LEAP-CF-PFC0.1/0.3 likewise), then `leap bench report`; the cells are those of docs/results.md (same budget, data and hyper-parameters; see there). Accuracy in %, mean ± sample sd over seeds 1..n.");
        markdown.AppendLine(c, $"Verdict: the partial-FC mean is within noise of the full classifier's when |difference| <= {NoiseStandardErrors} standard errors of the difference, sqrt(sd_full^2 / n_full + sd_r^2 / n_r); it is decided only with at least {MinimumSeeds} seeds of each.");
        markdown.AppendLine();
        var cells = new QualityResultCache(Path.Combine(results.Directory, "quality")).LoadAll()
            .Where(r => r.Split.StartsWith("lfw-", StringComparison.Ordinal) && r.Metrics.ContainsKey("accuracy"))
            .ToList();
        var rows = new List<string>();
        foreach (var split in cells.Select(r => r.Split).Distinct().Order(StringComparer.Ordinal))
        {
            foreach (string full in FullMethods)
            {
                double[] baseline = Accuracies(cells, split, full);
                foreach (double rate in Rates)
                {
                    string method = string.Create(c, $"{full}-PFC{rate}");
                    double[] sampled = Accuracies(cells, split, method);
                    if (baseline.Length == 0 || sampled.Length == 0)
                    {
                        continue;
                    }

                    rows.Add(string.Create(c, $"| {split} | {full} | {rate} | {QualityReportWriter.MeanStd(baseline)} (n = {baseline.Length}) | {QualityReportWriter.MeanStd(sampled)} (n = {sampled.Length}) | {sampled.Average() - baseline.Average():+0.00;-0.00} | {Verdict(baseline, sampled)} |"));
                }
            }
        }

        if (rows.Count == 0)
        {
            markdown.AppendLine("No results yet: run the command above.");
            return;
        }

        markdown.AppendLine("| split | full method | r | full | partial FC | difference | verdict |");
        markdown.AppendLine("|---|---|---|---|---|---|---|");
        rows.ForEach(r => markdown.AppendLine(r));
        markdown.AppendLine();
        markdown.AppendLine("What limits it: at r < 1 each step updates every positive class but only about r of the negative rows (row-sparse SGD), so within a fixed step budget a negative row is pushed away about r times as often as with the full classifier; InsightFace trains partial FC for tens of epochs on millions of images, where every row still sees many updates. The budget here is a few epochs of a 2-core machine.");
    }

    /// <summary>"within noise (0.4 SE)", "below (-2.6 SE)", "above (...)", or "n &lt; 3: undecided".</summary>
    public static string Verdict(IReadOnlyList<double> full, IReadOnlyList<double> sampled)
    {
        ArgumentNullException.ThrowIfNull(full);
        ArgumentNullException.ThrowIfNull(sampled);
        if (full.Count < MinimumSeeds || sampled.Count < MinimumSeeds)
        {
            return string.Create(CultureInfo.InvariantCulture, $"n < {MinimumSeeds}: undecided");
        }

        double error = Math.Sqrt((Variance(full) / full.Count) + (Variance(sampled) / sampled.Count));
        double difference = sampled.Average() - full.Average();
        double z = error > 0 ? difference / error : (difference == 0 ? 0 : Math.CopySign(double.PositiveInfinity, difference));
        string word = Math.Abs(z) <= NoiseStandardErrors ? "within noise" : z < 0 ? "below" : "above";
        return string.Create(CultureInfo.InvariantCulture, $"{word} ({z:+0.0;-0.0} SE)");
    }

    private static double Variance(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
    }

    private static double[] Accuracies(IEnumerable<QualityCellResult> cells, string split, string method) =>
        [.. cells.Where(r => r.Split == split && r.Method == method).OrderBy(r => r.Seed).Select(r => r.Metrics["accuracy"] * 100)];
}
