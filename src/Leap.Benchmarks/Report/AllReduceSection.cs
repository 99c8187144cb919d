using System.Globalization;
using System.Text;
using Leap.Benchmarks.AllReduce;

namespace Leap.Benchmarks.Report;

/// <summary>
/// Bus bandwidth of our ring (TCP and gRPC transports) against gloo's all-reduce from python3-torch, per (N, size),
/// from the files scripts/bench-allreduce.sh writes in one run: allreduce-{tcp,grpc}-N*-*MB.json and gloo-N*-*MB.json.
/// </summary>
public sealed class AllReduceSection : IBenchmarkSection
{
    public string Title => "All-reduce bus bandwidth vs gloo";

    public void Render(BenchmarkResults results, StringBuilder markdown)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(markdown);
        var runs = results.All<AllReduceBenchReport>("allreduce-*.json").Concat(results.All<AllReduceBenchReport>("gloo-*.json"))
            .Select(r => r.Value).ToList();
        var run = results.One<BenchmarkRunInfo>("allreduce.run.json");
        var c = CultureInfo.InvariantCulture;
        markdown.AppendLine("Command: `scripts/bench-allreduce.sh` (runs `leap bench allreduce --workers N --mb X --transport tcp|grpc` and `tests/reference/bench_gloo_allreduce.py` with Debian's python3-torch back to back, then `leap bench report`).");
        if (run is not null)
        {
            markdown.AppendLine(c, $"Run: {run.StartedUtc:yyyy-MM-dd HH:mm} UTC, 1-minute load average at the start {run.LoadAverage:0.0} on {run.ProcessorCount} cores ({run.Note}).");
        }
        markdown.AppendLine();
        if (runs.Count == 0)
        {
            markdown.AppendLine("No results yet: run `scripts/bench-allreduce.sh`.");
            return;
        }
        markdown.AppendLine("busbw = algbw x 2(N-1)/N (nccl-tests' definition), float32 sum in place, rank 0's mean over the timed iterations after one warm-up; cpu = rank 0's process CPU time per all-reduce. Ratio = ours / gloo (target >= 1.0).");
        markdown.AppendLine();
        markdown.AppendLine("| N | MiB | gloo busbw GB/s | ring/TCP busbw GB/s | ratio | ring/gRPC busbw GB/s | ratio | cpu ms/it gloo / TCP / gRPC |");
        markdown.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var group in runs.GroupBy(r => (r.Workers, r.Megabytes)).OrderBy(g => g.Key.Workers).ThenBy(g => g.Key.Megabytes))
        {
            var gloo = group.FirstOrDefault(r => r.Implementation == "gloo");
            var tcp = group.FirstOrDefault(r => r.Implementation == "leap" && r.Transport == "tcp");
            var grpc = group.FirstOrDefault(r => r.Implementation == "leap" && r.Transport == "grpc");
            markdown.AppendLine(c, $"| {group.Key.Workers} | {group.Key.Megabytes} | {Bw(gloo)} | {Bw(tcp)} | {Ratio(tcp, gloo)} | {Bw(grpc)} | {Ratio(grpc, gloo)} | {Cpu(gloo)} / {Cpu(tcp)} / {Cpu(grpc)} |");
        }
        markdown.AppendLine();
        markdown.AppendLine("What limits it: every rank is a process on the same 2 cores, so the ring moves bytes through loopback TCP (kernel copies) and the reduction competes with the sender and receiver threads of the other ranks for the same two cores; with N = 4 ranks on 2 cores the figure measures CPU time per byte more than any link. Both implementations pay the same loopback cost, so the ratio is the meaningful figure; absolute GB/s is not comparable to a real network.");
    }

    private static string Bw(AllReduceBenchReport? r) => r is null ? "—" : r.BusBandwidthGBps.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Cpu(AllReduceBenchReport? r) => r is null ? "—" : (r.CpuSecondsPerIteration * 1e3).ToString("0", CultureInfo.InvariantCulture);

    private static string Ratio(AllReduceBenchReport? ours, AllReduceBenchReport? gloo) =>
        ours is null || gloo is null || gloo.BusBandwidthGBps <= 0 ? "—"
            : (ours.BusBandwidthGBps / gloo.BusBandwidthGBps).ToString("0.00", CultureInfo.InvariantCulture) + "x";
}
