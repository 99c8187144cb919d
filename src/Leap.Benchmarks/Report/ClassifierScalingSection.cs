using System.Globalization;
using System.Text;
using Leap.Benchmarks.Classifier;

namespace Leap.Benchmarks.Report;

/// <summary>Model-parallel classifier step time and peak RSS per rank over C and N, full and partial FC (docs/bench/classifier-*.json).</summary>
public sealed class ClassifierScalingSection : IBenchmarkSection
{
    private const double MemoryBudgetGiB = 24;

    public string Title => "Model-parallel classifier scaling (and partial FC)";

    public void Render(BenchmarkResults results, StringBuilder markdown)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(markdown);
        var c = CultureInfo.InvariantCulture;
        var runs = results.All<ClassifierBenchReport>("classifier-*.json").Select(r => r.Value).ToList();
        markdown.AppendLine("Command: `leap bench classifier --classes C --workers N [--sample-rate 0.1]` (in `scripts/bench-perf.sh`): N real worker processes on this box, ring over 127.0.0.1 TCP; each holds C / N rows of W (D = 512, float32) and runs the classifier part of a training step on random embeddings: all-gather of the embeddings and labels, cosine logits on its shard, CosFace margin, the distributed softmax cross-entropy forward and backward, all-reduce of the embedding gradient, SGD (momentum 0.9, weight decay 5e-4) of its rows. Peak memory = each rank's VmHWM from /proc/self/status, reset after set-up (W and the process), so it covers the steps; the set-up peak is listed too. Partial FC (r = 0.1) computes logits and updates on every positive class plus 10% of the negatives.");
        markdown.AppendLine();
        if (runs.Count == 0)
        {
            markdown.AppendLine("No results yet: run `scripts/bench-perf.sh`.");
            return;
        }
        var first = runs.MinBy(r => r.StartedUtc)!;
        markdown.AppendLine(c, $"Global batch {first.Batch}, {first.WarmupSteps} warm-up step(s), then timed steps; torch threads per rank = cores / N. Runs from {first.StartedUtc:yyyy-MM-dd HH:mm} UTC, 1-minute load average {runs.Min(r => r.LoadAverage):0.0}-{runs.Max(r => r.LoadAverage):0.0} on {first.ProcessorCount} cores.");
        markdown.AppendLine();
        markdown.AppendLine("| C | N | rows per rank | full: ms/step | full: peak GiB per rank (set-up) | partial r=0.1: ms/step | partial: peak GiB per rank (set-up) | partial / full time | partial / full memory | N x peak GiB (full) |");
        markdown.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var group in runs.GroupBy(r => (r.Classes, r.Workers)).OrderBy(g => g.Key.Classes).ThenBy(g => g.Key.Workers))
        {
            var full = group.FirstOrDefault(r => r.SampleRate >= 1);
            var partial = group.Where(r => r.SampleRate < 1).MinBy(r => Math.Abs(r.SampleRate - 0.1));
            markdown.AppendLine(c, $"| {group.Key.Classes:N0} | {group.Key.Workers} | {(group.Key.Classes + group.Key.Workers - 1) / group.Key.Workers:N0} | {Time(full)} | {Memory(full)} | {Time(partial)} | {Memory(partial)} | {Ratio(partial?.StepSeconds, full?.StepSeconds)} | {Ratio(partial?.MaxStepPeakBytes, full?.MaxStepPeakBytes)} | {(full is null ? "—" : (full.Workers * Gib(full.MaxStepPeakBytes)).ToString("0.0", c))} |");
        }
        markdown.AppendLine();
        double worst = runs.Max(r => r.Workers * Gib(Math.Max(r.MaxStepPeakBytes, r.Ranks.Max(k => k.SetupPeakBytes))));
        markdown.AppendLine(worst <= MemoryBudgetGiB
            ? string.Create(c, $"Memory target (the whole job within {MemoryBudgetGiB:0} GiB): met; the largest job peaks at {worst:0.0} GiB summed over its ranks.")
            : string.Create(c, $"Memory target (the whole job within {MemoryBudgetGiB:0} GiB): missed by {worst - MemoryBudgetGiB:0.0} GiB (largest job {worst:0.0} GiB summed over its ranks)."));
        markdown.AppendLine();
        markdown.AppendLine("Reading the table: a full-classifier rank holds W, its gradient and the SGD momentum (3 x 4 bytes x C/N x 512) plus the normalised copy of W and its backward temporaries, so its peak falls as 1/N; the job's total does not (N x peak stays about constant). Step time is compute- and memory-bandwidth-bound on the [B, C/N] logits and the C/N x 512 update, but the N ranks share the same 2 cores, so on this box N > 1 cannot run faster than N = 1 in wall time; it adds the ring's loopback copies (all-gather of B x 512 embeddings, three all-reduces of B values, the B x 512 gradient all-reduce — small next to the shard work). On N machines the per-rank figures are what each would see. Partial FC touches about r of the rows: its logits, softmax and update shrink by about r, so time and the gradient/temporary memory fall by up to 10x, while W and the momentum (4 bytes x 2 x rows) stay resident.");
    }

    private static double Gib(long bytes) => bytes / (double)(1L << 30);

    private static string Time(ClassifierBenchReport? r) => r is null ? "—" : (r.StepSeconds * 1e3).ToString("0", CultureInfo.InvariantCulture);

    private static string Memory(ClassifierBenchReport? r) => r is null ? "—" : string.Create(CultureInfo.InvariantCulture,
        $"{Gib(r.MaxStepPeakBytes):0.00} ({Gib(r.Ranks.Max(k => k.SetupPeakBytes)):0.00})");

    private static string Ratio(double? a, double? b) => a is null || b is null || b <= 0 ? "—" : (a.Value / b.Value).ToString("0.00", CultureInfo.InvariantCulture) + "x";
}
