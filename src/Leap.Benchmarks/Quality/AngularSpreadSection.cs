using System.Globalization;
using System.Text;

namespace Leap.Benchmarks.Quality;

/// <summary>
/// The report's section on the paper's observation (tail classes span less angle than head classes, 0.288 vs 0.463):
/// per split and method the mean head and tail intra-class angle of the trained model's training features, then each
/// LEAP variant's tail / head ratio against its baseline's, paired by seed.
/// </summary>
public static class AngularSpreadSection
{
    /// <summary>The paper's head and tail spread of a baseline (radians).</summary>
    public const double PaperHead = 0.463;

    public const double PaperTail = 0.288;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Append(StringBuilder md, QualityGrid grid, IReadOnlyList<QualityCellResult> found)
    {
        ArgumentNullException.ThrowIfNull(md);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(found);
        var withSpread = found.Where(r => r.Spread is not null).ToList();
        if (withSpread.Count == 0)
        {
            return;
        }

        md.AppendLine();
        md.AppendLine("## Head and tail angular spread");
        md.AppendLine();
        md.AppendLine(Invariant, $"Mean angle (radians) between a class's L2-normalised training features (no augmentation) and their centre, averaged over the head classes and over the tail classes; mean over seeds. The paper observes {PaperHead} (head) vs {PaperTail} (tail) for a baseline: tail classes span less of the feature space. LEAP's clouds widen the angles the loss sees of a tail class in training; this table measures what that does to the features themselves.");
        md.AppendLine();
        md.AppendLine("| split | method | n | head | tail | tail / head |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (QualitySplit split in grid.Splits)
        {
            foreach (QualityMethod method in grid.Methods)
            {
                var cells = withSpread.Where(r => r.Split == split.Name && r.Method == method.Name).ToList();
                if (cells.Count == 0)
                {
                    continue;
                }

                double head = cells.Average(c => c.Spread!.Head);
                if (cells.All(c => c.Spread!.TailClasses > 0))
                {
                    double tail = cells.Average(c => c.Spread!.Tail);
                    md.AppendLine(Invariant, $"| {split.Name} | {method.Name} | {cells.Count} | {head:F3} | {tail:F3} | {tail / head:F2} |");
                }
                else
                {
                    md.AppendLine(Invariant, $"| {split.Name} | {method.Name} | {cells.Count} | {head:F3} | — (no tail classes) | — |");
                }
            }
        }

        AppendBaselineRange(md, grid, withSpread);
        AppendPairedRatios(md, grid, withSpread);
    }

    /// <summary>Seed -> tail / head of one split's method, over the cells that have tail classes.</summary>
    private static Dictionary<long, double> Ratios(IReadOnlyList<QualityCellResult> withSpread, string split, string method) => withSpread
        .Where(r => r.Split == split && r.Method == method && r.Spread!.TailClasses > 0 && r.Spread.Head > 0)
        .ToDictionary(r => r.Seed, r => r.Spread!.Tail / r.Spread.Head);

    /// <summary>How far the baselines here are from the paper's observation: the range of their per-cell tail / head.</summary>
    private static void AppendBaselineRange(StringBuilder md, QualityGrid grid, IReadOnlyList<QualityCellResult> withSpread)
    {
        string[] baselines = [.. QualityReportWriter.LeapPairs.Select(p => p.Baseline).Distinct()];
        double[] ratios = [.. grid.Splits.SelectMany(s => baselines.SelectMany(b => Ratios(withSpread, s.Name, b).Values))];
        if (ratios.Length == 0)
        {
            return;
        }

        md.AppendLine();
        md.AppendLine(Invariant, $"The baselines' tail / head here ranges from {ratios.Min():0.00} to {ratios.Max():0.00} over {ratios.Length} cell{(ratios.Length == 1 ? "" : "s")}, against {PaperTail / PaperHead:0.00} in the paper ({PaperTail} / {PaperHead}).");
    }

    /// <summary>Each LEAP variant's tail / head minus its baseline's, paired by seed, where two seeds of both exist.</summary>
    private static void AppendPairedRatios(StringBuilder md, QualityGrid grid, IReadOnlyList<QualityCellResult> withSpread)
    {
        var paired = new List<(string Split, string Leap, string Baseline, PairedSeedComparison Comparison)>();
        foreach (QualitySplit split in grid.Splits)
        {
            foreach (var (leap, baseline) in QualityReportWriter.LeapPairs)
            {
                if (PairedSeedComparison.Of(Ratios(withSpread, split.Name, baseline), Ratios(withSpread, split.Name, leap)) is { } c)
                {
                    paired.Add((split.Name, leap, baseline, c));
                }
            }
        }

        if (paired.Count == 0)
        {
            return;
        }

        md.AppendLine();
        md.AppendLine("Tail / head of each LEAP variant minus its baseline's, paired by seed (mean ± standard error, paired t-test at 5 %; \"narrower\" = LEAP's tail classes span less angle, relative to its head classes, than the baseline's):");
        md.AppendLine();
        foreach (var (split, leap, baseline, c) in paired)
        {
            md.AppendLine(Invariant, $"- {split}, {leap} - {baseline}: {c.Describe("wider", "narrower", decimals: 3)}");
        }

        int narrower = paired.Count(p => p.Comparison.Significant && p.Comparison.MeanDifference < 0);
        int wider = paired.Count(p => p.Comparison.Significant && p.Comparison.MeanDifference > 0);
        md.AppendLine();
        md.AppendLine(Invariant, $"Of these {paired.Count} comparisons, LEAP's tail is significantly narrower than its baseline's in {narrower}, wider in {wider} and within noise in {paired.Count - narrower - wider}.");
    }
}
