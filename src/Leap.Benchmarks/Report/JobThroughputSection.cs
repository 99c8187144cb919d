using System.Globalization;
using System.Text;
using Leap.Benchmarks.Job;
using Leap.Launch;

namespace Leap.Benchmarks.Report;

/// <summary>
/// Distributed job throughput (docs/bench/job-w*-*.json): `leap launch --workers N` of the quick-start job against
/// `leap train` of the same job and the PyTorch DDP peer, with the verdicts on issue #17's targets.
/// </summary>
public sealed class JobThroughputSection : IBenchmarkSection
{
    /// <summary>Issue #17: the 2-worker quick-start job at least as fast as PyTorch DDP, 4 workers at least 0.9x.</summary>
    public static readonly IReadOnlyDictionary<int, double> DdpTargets = new Dictionary<int, double> { [2] = 1.0, [4] = 0.9 };

    /// <summary>The LEAP variant of the quick-start job (configs/quickstart.json), which the targets are about.</summary>
    public const string QuickStartVariant = "Full";

    private const string BenchJobCommandText = "configs/quickstart.json with `Steps=S`, `Evaluation:EverySteps=0`, `Checkpoint:EverySteps=0`, `Evaluation:Pairs=300`";

    public string Title => "Distributed job throughput vs PyTorch DDP";

    public void Render(BenchmarkResults results, StringBuilder markdown)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(markdown);
        var c = CultureInfo.InvariantCulture;
        var runs = results.All<JobBenchReport>("job-*.json").Select(r => r.Value)
            .OrderBy(r => r.Model != JobModel.QuickStart.Name).ThenBy(r => r.Model, StringComparer.Ordinal).ThenBy(r => r.Workers).ThenBy(r => r.Variant, StringComparer.Ordinal).ThenByDescending(r => r.NativeHeap, StringComparer.Ordinal).ThenBy(r => r.Classifier != "auto").ThenBy(r => r.Classifier, StringComparer.Ordinal).ToList();
        var shipped = Shipped(runs);
        var quickStart = shipped.Where(r => r.Model == JobModel.QuickStart.Name).ToList();
        markdown.AppendLine(c, $"Command: `leap bench job --workers N --steps S --repeats R [--variant None] [--model resnet18] [--native-heap default] [--classifier sharded|replicated]`, then `leap bench report`. Per repeat, back to back: `leap launch --workers N --no-centre-service` of the quick-start job ({BenchJobCommandText}; model `quickstart`: {JobModel.QuickStart.Description}; model `resnet18`: {JobModel.ResNet18.Description}, `{string.Join(" ", JobModel.ResNet18.Settings)}`), `leap train --no-progress` of the same job (one process, default threads), and the PyTorch DDP peer `tests/reference/bench_ddp_job.py` (Debian's python3-torch, gloo, N processes of cores / N threads, the same global batch, model, loss and optimiser, no LEAP). Repeats are interleaved because this shared machine's throughput changes between runs (the spread column: fastest / slowest repeat of each); the table gives the median over the repeats and every repeat.");
        markdown.AppendLine();
        markdown.AppendLine("img/s = median of the per-step images/s (global batch / step wall time on rank 0) after the first third of the steps (warm-up), from `metrics.jsonl` for ours and from the script's per-step timing for the peer. CPU s/step = user + system CPU seconds of the whole run (every process it started, getrusage of the waited-for children) / steps, so it includes start-up, data loading and, for ours, the final evaluation; the DDP script's own figure over the timed steps only is given too.");
        markdown.AppendLine();
        if (runs.Count == 0)
        {
            markdown.AppendLine("No results yet: run `leap bench job --workers 2 --steps 300 --repeats 3`.");
            return;
        }
        markdown.AppendLine("Classifier = the launch's Training:Distributed:Classifier and, after the arrow, the placement its workers used: `auto` (the product's default) replicates a classifier that is small next to the backbone and shards a large one; results from before the setting existed were sharded. The targets below use, per model, worker count and variant, the result closest to the product as shipped: freed native memory kept and the classifier left to auto.");
        markdown.AppendLine();
        markdown.AppendLine("| model | N | variant | native heap | classifier | threads / worker | steps (warm-up) | run (UTC), load 1 min start -> end | launch img/s | train img/s | DDP img/s | launch / DDP | launch / train | spread launch / train / DDP | CPU s/step launch / train / DDP | DDP CPU s/step, timed steps | repeats: launch / train / DDP img/s |");
        markdown.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in runs)
        {
            string repeats = string.Join("; ", r.Repeats.Select(p => string.Create(c, $"{p.Launch.ImagesPerSecond:0} / {p.Train.ImagesPerSecond:0} / {Number(p.Ddp?.ImagesPerSecond, "0")}")));
            double? timedDdpCpu = r.Repeats.Any(p => p.Ddp?.TimedCpuSecondsPerStep is not null)
                ? SteadyStateThroughput.Median(r.Repeats.Where(p => p.Ddp?.TimedCpuSecondsPerStep is not null).Select(p => p.Ddp!.TimedCpuSecondsPerStep!.Value).ToArray())
                : null;
            markdown.AppendLine(c, $"| {r.Model} | {r.Workers} | {r.Variant} | {r.NativeHeap} | {Placement(r)} | {r.ThreadsPerWorker} | {r.Steps} ({r.WarmupSteps}) | {r.StartedUtc:yyyy-MM-dd HH:mm}, {r.LoadAverage:0.0} -> {r.LoadAverageEnd:0.0} | {r.LaunchImagesPerSecond:0.0} | {r.TrainImagesPerSecond:0.0} | {Number(r.DdpImagesPerSecond, "0.0")} | {Ratio(r.LaunchOverDdp)} | {Ratio(r.LaunchOverTrain)} | {Spread(r.Repeats.Select(p => p.Launch))} / {Spread(r.Repeats.Select(p => p.Train))} / {Spread(r.Repeats.Select(p => p.Ddp))} | {r.LaunchCpuSecondsPerStep:0.000} / {r.TrainCpuSecondsPerStep:0.000} / {Number(r.DdpCpuSecondsPerStep, "0.000")} | {Number(timedDdpCpu, "0.000")} | {repeats} |");
        }
        markdown.AppendLine();
        markdown.AppendLine("Targets (issue #17):");
        markdown.AppendLine();
        foreach (var (workers, target) in DdpTargets)
        {
            markdown.AppendLine(c, $"- {workers}-worker quick-start job ({QuickStartVariant}) >= {target:0.0}x PyTorch DDP images/s: {DdpVerdict(quickStart.FirstOrDefault(r => r.Workers == workers && r.Variant == QuickStartVariant), target)}");
        }
        var twoWorkers = shipped.Where(r => r.Workers == 2).ToList();
        markdown.AppendLine(c, $"- `leap launch --workers 2` never slower than `leap train` of the same job: {(twoWorkers.Count == 0 ? "not measured yet (no 2-worker result)." : string.Join("; ", twoWorkers.Select(r => $"{r.Model} {TrainVerdict(r)}")) + ".")}");
        foreach (var r in shipped.Where(r => r.Variant != QuickStartVariant && r.LaunchOverDdp is not null))
        {
            markdown.AppendLine();
            markdown.AppendLine(c, $"Like for like ({r.Model}, {r.Variant}, no LEAP on either side), {r.Workers} workers: launch / DDP = {Ratio(r.LaunchOverDdp)}.{LeapCost(r, shipped.FirstOrDefault(q => q.Model == r.Model && q.Workers == r.Workers && q.Variant == QuickStartVariant))}");
        }
        HeapComparison(runs, markdown);
        PlacementComparison(runs, shipped, markdown);
        // Phase tables for every result with freed memory kept (the shipped setting), or for all of them before there were any.
        foreach (var r in runs.Any(r => r.NativeHeap == NativeHeapRetention.RetainHeap) ? runs.Where(r => r.NativeHeap == NativeHeapRetention.RetainHeap) : runs)
        {
            PhaseTable(r, markdown);
        }
        if (runs.Any(r => r.Model != JobModel.QuickStart.Name && r.DdpImagesPerSecond is not null))
        {
            markdown.AppendLine();
            markdown.AppendLine("The ResNet-18 rows compare runtimes and library builds at once: the peer is Debian's PyTorch 1.13 (its own oneDNN and threading build), ours libtorch 2.10 through TorchSharp; launch / train, on one library, is the like-for-like figure there.");
        }
    }

    /// <summary>
    /// Per model, worker count and variant the result closest to the product as shipped: freed native memory kept and the
    /// classifier left to auto, else kept memory with any placement, else whatever was measured.
    /// </summary>
    public static List<JobBenchReport> Shipped(IReadOnlyList<JobBenchReport> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        static int Rank(JobBenchReport r) => (r.NativeHeap == NativeHeapRetention.RetainHeap ? 0 : 2) + (r.Classifier == "auto" ? 0 : 1);
        return [.. runs.GroupBy(r => (r.Model, r.Workers, r.Variant)).Select(g => g.OrderBy(Rank).ThenByDescending(r => r.StartedUtc).First())];
    }

    /// <summary>The setting, and what the workers used when it differs (auto -> replicated).</summary>
    private static string Placement(JobBenchReport r) => r.Classifier == r.ClassifierUsed ? r.Classifier : $"{r.Classifier} -> {r.ClassifierUsed}";

    /// <summary>
    /// A shipped result whose launch replicated the classifier next to the same job forced to shard it
    /// (`--classifier sharded`), with how far the DDP peer, the same in both, moved between the two results.
    /// </summary>
    private static void PlacementComparison(IReadOnlyList<JobBenchReport> runs, IReadOnlyList<JobBenchReport> shipped, StringBuilder markdown)
    {
        var c = CultureInfo.InvariantCulture;
        foreach (var replicated in shipped.Where(r => r.ClassifierUsed == "replicated"))
        {
            var sharded = runs.Where(r => r.ClassifierUsed == "sharded" && r.Model == replicated.Model && r.Workers == replicated.Workers && r.Variant == replicated.Variant
                    && r.NativeHeap == replicated.NativeHeap)
                .OrderByDescending(r => r.StartedUtc).FirstOrDefault();
            if (sharded is null)
            {
                continue;
            }
            string peer = replicated.DdpImagesPerSecond is double a && sharded.DdpImagesPerSecond is double b
                ? string.Create(c, $"; the DDP peer, the same job in both, {b:0} -> {a:0} img/s ({a / b:0.00}x), so the launch's change {(Math.Abs(replicated.LaunchImagesPerSecond / sharded.LaunchImagesPerSecond - 1) > Math.Abs(a / b - 1) ? "exceeds" : "is within")} the machine's run-to-run change")
                : "";
            markdown.AppendLine();
            markdown.AppendLine(c, $"Replicated vs sharded classifier ({replicated.Model}, {replicated.Workers} workers, {replicated.Variant}; sharded forced with `--classifier sharded`, run {sharded.StartedUtc:yyyy-MM-dd HH:mm}): launch {sharded.LaunchImagesPerSecond:0} -> {replicated.LaunchImagesPerSecond:0} img/s ({replicated.LaunchImagesPerSecond / sharded.LaunchImagesPerSecond:0.00}x), launch / DDP {Ratio(sharded.LaunchOverDdp)} -> {Ratio(replicated.LaunchOverDdp)}{peer}. The replicated step runs one fused all-reduce per step (every gradient, the batch-norm statistics, the zero-padded global batch for the centre tracker, loss and stop flag) where the sharded one runs four collectives (all-gather of the batch, distributed softmax, feature gradient with statistics, gradients); see `ReplicatedClassifierStep`.");
        }
    }

    /// <summary>The DDP target's verdict for one result, from its numbers.</summary>
    public static string DdpVerdict(JobBenchReport? report, double target)
    {
        var c = CultureInfo.InvariantCulture;
        if (report is null)
        {
            return "not measured yet.";
        }
        if (report.LaunchOverDdp is not double ratio)
        {
            return $"undecided: {report.Reference}";
        }
        int above = report.Repeats.Count(r => r.Ddp is { ImagesPerSecond: > 0 } d && r.Launch.ImagesPerSecond / d.ImagesPerSecond >= target);
        int paired = report.Repeats.Count(r => r.Ddp is not null);
        string detail = string.Create(c, $"median {report.LaunchImagesPerSecond:0.0} vs {report.DdpImagesPerSecond:0.0} img/s = {ratio:0.00}x; at or above the target in {above} of {paired} repeats");
        return ratio >= target
            ? $"met ({detail})."
            : string.Create(c, $"missed by {(target - ratio) * 100:0} % of DDP's throughput ({detail}).") + PhaseDifference(report);
    }

    /// <summary>
    /// Where rank 0's step differs from the peer's, from the phase medians over the repeats: forward, loss, the backward
    /// with every collective (the peer overlaps its all-reduce with its backward, so only the sum compares) and the
    /// optimizer; empty without both sides' phases.
    /// </summary>
    public static string PhaseDifference(JobBenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var ours = StepPhaseMedians.AcrossRepeats(report.Repeats.Select(p => p.Launch.Phases));
        var peer = StepPhaseMedians.AcrossRepeats(report.Repeats.Select(p => p.Ddp?.Phases));
        if (ours.Count == 0 || peer.Count == 0)
        {
            return "";
        }
        static double Of(IReadOnlyList<PhaseTime> phases, string phase) => phases.Where(p => p.Phase == phase).Sum(p => p.MedianMilliseconds);
        static double Rest(IReadOnlyList<PhaseTime> phases) =>
            phases.Where(p => p.Phase is not ("data" or "forward" or "loss" or "optimizer")).Sum(p => p.MedianMilliseconds);
        var c = CultureInfo.InvariantCulture;
        string leap = report.Variant == "None" ? "" : "; the loss includes LEAP's alpha and margin, which the peer does not run";
        return string.Create(c, $" Rank 0's step against the peer's, ms per step (phase medians): forward {Of(ours, "forward"):0.00} vs {Of(peer, "forward"):0.00} ({Of(ours, "forward") - Of(peer, "forward"):+0.00;-0.00}), loss {Of(ours, "loss"):0.00} vs {Of(peer, "loss"):0.00} ({Of(ours, "loss") - Of(peer, "loss"):+0.00;-0.00}{leap}), backward with the collectives {Rest(ours):0.00} vs {Rest(peer):0.00} ({Rest(ours) - Rest(peer):+0.00;-0.00}), optimizer {Of(ours, "optimizer"):0.00} vs {Of(peer, "optimizer"):0.00} ({Of(ours, "optimizer") - Of(peer, "optimizer"):+0.00;-0.00}).");
    }

    /// <summary>The launch-vs-train verdict for one result: met only when the launch was at least as fast in every repeat.</summary>
    public static string TrainVerdict(JobBenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var c = CultureInfo.InvariantCulture;
        int notSlower = report.RepeatsLaunchNotSlower;
        string detail = string.Create(c, $"launch at least as fast in {notSlower} of {report.Repeats.Count} repeats, median launch / train {report.LaunchOverTrain:0.00}x");
        if (notSlower < report.Repeats.Count)
        {
            detail += string.Create(c, $"; CPU s/step launch {report.LaunchCpuSecondsPerStep:0.000} vs train {report.TrainCpuSecondsPerStep:0.000} ({report.LaunchCpuSecondsPerStep / report.TrainCpuSecondsPerStep:0.00}x): the single process's two threads already use both cores, and the launch adds work per step (a second runtime, each rank's copy of the replicated centre update, the collectives) rather than cores");
            var launchPhases = StepPhaseMedians.AcrossRepeats(report.Repeats.Select(p => p.Launch.Phases));
            if (launchPhases.Count > 0)
            {
                double collectives = launchPhases.Where(p => p.Phase.Contains("gather", StringComparison.Ordinal) || p.Phase.Contains("all-reduce", StringComparison.Ordinal)).Sum(p => p.MedianMilliseconds);
                double step = launchPhases.Sum(p => p.MedianMilliseconds);
                detail += string.Create(c, $"; per step (the phase table) rank 0's collectives take {collectives:0.0} of its {step:0.0} ms");
                if (report.ClassifierUsed == "sharded")
                {
                    detail += " (the sharded step's loss phase also holds the distributed softmax's reductions, counted here as compute)";
                }
                var trainPhases = StepPhaseMedians.AcrossRepeats(report.Repeats.Select(p => p.Train.Phases));
                if (trainPhases.Count > 0)
                {
                    double compute = step - collectives;
                    double train = trainPhases.Sum(p => p.MedianMilliseconds);
                    detail += string.Create(c, $", the rest (its compute) {compute:0.0} ms against train's {train:0.0} ms, ") +
                        (step <= train
                            ? "so even with its collectives rank 0's timed phases take no longer than train's step: the slower repeats lose their time outside the phases (between steps, waiting on the other rank's start) or to the machine's run-to-run spread"
                            : compute <= train
                                ? "so the launch computes a step at least as fast and its collectives are what it loses"
                                : "so the launch's compute alone is slower than the single process's");
                }
            }
        }
        return notSlower == report.Repeats.Count ? $"{report.Variant}: met ({detail})" : $"{report.Variant}: missed ({detail})";
    }

    /// <summary>
    /// LEAP's cost in the launch (baseline launch img/s over the quick-start's), set against how far the DDP peer, the
    /// same job in both results, moved between them: a cost smaller than that movement is the machine's load, not LEAP.
    /// </summary>
    private static string LeapCost(JobBenchReport baseline, JobBenchReport? quickStart)
    {
        if (quickStart?.DdpImagesPerSecond is not double peerQuick || baseline.DdpImagesPerSecond is not double peerBaseline)
        {
            return "";
        }
        double cost = baseline.LaunchImagesPerSecond / quickStart.LaunchImagesPerSecond - 1;
        double peerMove = Math.Abs(peerBaseline / peerQuick - 1);
        return string.Create(CultureInfo.InvariantCulture,
            $" Launch img/s without LEAP is {cost:+0 %;-0 %} of the {QuickStartVariant} run's; the DDP peer, the same job in both, moved {peerMove:0 %} between the two results, so ") +
            (Math.Abs(cost) > peerMove ? "the difference exceeds the machine's run-to-run change." : "the difference is within the machine's run-to-run change and says nothing about LEAP's cost.");
    }

    /// <summary>
    /// Where a step of ours goes, train next to launch (rank 0): per phase the median over the repeats of each run's
    /// steady-state median (metrics.jsonl's phases_ms). The launch's collectives include the wait for the slower rank.
    /// </summary>
    private static void PhaseTable(JobBenchReport r, StringBuilder markdown)
    {
        var train = StepPhaseMedians.AcrossRepeats(r.Repeats.Select(p => p.Train.Phases));
        var launch = StepPhaseMedians.AcrossRepeats(r.Repeats.Select(p => p.Launch.Phases));
        var ddp = StepPhaseMedians.AcrossRepeats(r.Repeats.Select(p => p.Ddp?.Phases));
        if (train.Count == 0 || launch.Count == 0)
        {
            return;
        }

        var c = CultureInfo.InvariantCulture;
        markdown.AppendLine();
        markdown.AppendLine(c, $"Where a step goes ({r.Model}, {r.Workers} workers, {r.Variant}, classifier {Placement(r)}, {r.StartedUtc:yyyy-MM-dd HH:mm}): median ms per phase after the warm-up, median over the {r.Repeats.Count} repeats; `leap train` runs the global batch of {r.Batch} in one process, each launched rank {r.Batch / r.Workers} images with {r.ThreadsPerWorker} thread(s) and the collectives between (their time includes waiting for the other ranks).{(ddp.Count > 0 ? " The DDP peer's rank 0 has its own phases: its gradient all-reduce runs inside the backward (DDP overlaps them), and its loss includes the replicated classifier." : "")}");
        markdown.AppendLine();
        markdown.AppendLine(ddp.Count > 0 ? "| phase | train ms | launch ms (rank 0) | DDP peer ms (rank 0) |" : "| phase | train ms | launch ms (rank 0) |");
        markdown.AppendLine(ddp.Count > 0 ? "|---|---|---|---|" : "|---|---|---|");
        string Cell(IReadOnlyList<PhaseTime> phases, string phase) => Number(phases.FirstOrDefault(p => p.Phase == phase)?.MedianMilliseconds, "0.00");
        foreach (string phase in launch.Select(p => p.Phase).Union(train.Select(p => p.Phase), StringComparer.Ordinal).Union(ddp.Select(p => p.Phase), StringComparer.Ordinal))
        {
            markdown.AppendLine(c, $"| {phase} | {Cell(train, phase)} | {Cell(launch, phase)} |{(ddp.Count > 0 ? $" {Cell(ddp, phase)} |" : "")}");
        }

        markdown.AppendLine(c, $"| sum of the medians | {train.Sum(p => p.MedianMilliseconds):0.00} | {launch.Sum(p => p.MedianMilliseconds):0.00} |{(ddp.Count > 0 ? string.Create(c, $" {ddp.Sum(p => p.MedianMilliseconds):0.00} |") : "")}");
    }

    /// <summary>
    /// Each job measured both ways, with freed native memory kept (the product's default) and on glibc's malloc defaults
    /// (`--native-heap default`): the speed-up of each runtime, the peer's included.
    /// </summary>
    private static void HeapComparison(IReadOnlyList<JobBenchReport> runs, StringBuilder markdown)
    {
        var c = CultureInfo.InvariantCulture;
        foreach (var kept in runs.Where(r => r.NativeHeap == NativeHeapRetention.RetainHeap))
        {
            var glibc = runs.FirstOrDefault(r => r.NativeHeap == NativeHeapRetention.DefaultHeap && r.Model == kept.Model && r.Workers == kept.Workers && r.Variant == kept.Variant
                && r.ClassifierUsed == kept.ClassifierUsed
                && r.StartedUtc > kept.StartedUtc.AddHours(-12) && r.StartedUtc < kept.StartedUtc.AddHours(12));
            if (glibc is null)
            {
                continue;
            }

            markdown.AppendLine();
            markdown.AppendLine(c, $"Freed native memory kept vs glibc's malloc defaults ({kept.Model}, {kept.Workers} workers, {kept.Variant}; `--native-heap default`, run {glibc.StartedUtc:yyyy-MM-dd HH:mm}): launch {glibc.LaunchImagesPerSecond:0} -> {kept.LaunchImagesPerSecond:0} img/s ({kept.LaunchImagesPerSecond / glibc.LaunchImagesPerSecond:0.00}x), train {glibc.TrainImagesPerSecond:0} -> {kept.TrainImagesPerSecond:0} ({kept.TrainImagesPerSecond / glibc.TrainImagesPerSecond:0.00}x), DDP peer {Number(glibc.DdpImagesPerSecond, "0")} -> {Number(kept.DdpImagesPerSecond, "0")}{(kept.DdpImagesPerSecond is double a && glibc.DdpImagesPerSecond is double b ? string.Create(c, $" ({a / b:0.00}x)") : "")}. With glibc's defaults every step page-faults its activations in again (libtorch frees them to the kernel); see `NativeHeapRetention`.");
        }
    }

    /// <summary>Fastest over slowest repeat's img/s, or a dash without two runs.</summary>
    private static string Spread(IEnumerable<JobRun?> runs)
    {
        double[] rates = runs.Where(r => r is { ImagesPerSecond: > 0 }).Select(r => r!.ImagesPerSecond).ToArray();
        return rates.Length < 2 ? "—" : (rates.Max() / rates.Min()).ToString("0.00", CultureInfo.InvariantCulture) + "x";
    }

    private static string Number(double? value, string format) => value is double v ? v.ToString(format, CultureInfo.InvariantCulture) : "—";

    private static string Ratio(double? value) => value is double v ? v.ToString("0.00", CultureInfo.InvariantCulture) + "x" : "—";
}
