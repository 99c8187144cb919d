using System.Globalization;
using System.Text;
using Leap.Benchmarks.AllReduce;

namespace Leap.Benchmarks.Report;

/// <summary>
/// Latency of small all-reduces, our ring (TCP and gRPC transports) against gloo, per (N, bytes), from the files
/// scripts/bench-allreduce-latency.sh writes in one run: latency-{tcp,grpc,gloo}-N*-*B.json.
/// </summary>
public sealed class AllReduceLatencySection : IBenchmarkSection
{
    public string Title => "All-reduce latency vs gloo (small tensors)";

    public void Render(BenchmarkResults results, StringBuilder markdown)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(markdown);
        var runs = results.All<AllReduceLatencyReport>("latency-*.json").Select(r => r.Value).ToList();
        var run = results.One<BenchmarkRunInfo>("latency.run.json");
        var c = CultureInfo.InvariantCulture;
        markdown.AppendLine("Command: `scripts/bench-allreduce-latency.sh` (runs `leap bench allreduce --workers N --bytes B --transport tcp|grpc` and `tests/reference/bench_gloo_allreduce.py --bytes B` with Debian's python3-torch back to back, then `leap bench report`).");
        if (run is not null)
        {
            markdown.AppendLine(c, $"Run: {run.StartedUtc:yyyy-MM-dd HH:mm} UTC, 1-minute load average at the start {run.LoadAverage:0.0} on {run.ProcessorCount} cores ({run.Note}).");
        }
        markdown.AppendLine();
        if (runs.Count == 0)
        {
            markdown.AppendLine("No results yet: run `scripts/bench-allreduce-latency.sh`.");
            return;
        }

        int iterations = runs.Max(r => r.Iterations);
        markdown.AppendLine(c, $"Each side: N processes on 127.0.0.1, a float32 tensor of B bytes per rank summed in place, {AllReduceLatencyBenchmark.WarmUps} untimed all-reduces, then {iterations} timed ones, each after a barrier; rank 0's median and 90th percentile in microseconds per call (the time includes the other ranks leaving the barrier later than rank 0). cpu = rank 0's process CPU time per iteration, barrier included. Speed = gloo's median / ours (>= 1.0: ours is at least as fast). A training step's small collectives are of this kind: the loss, the stop flag and the cloud count, the batch-norm statistics, and on the sharded path the softmax's row maxima and sums.");
        markdown.AppendLine();
        markdown.AppendLine("| N | bytes | gloo median (p90) us | ring/TCP median (p90) us | speed | ring/gRPC median (p90) us | speed | cpu us/it gloo / TCP / gRPC |");
        markdown.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var group in runs.GroupBy(r => (r.Workers, r.Bytes)).OrderBy(g => g.Key.Workers).ThenBy(g => g.Key.Bytes))
        {
            var gloo = group.FirstOrDefault(r => r.Implementation == "gloo");
            var tcp = group.FirstOrDefault(r => r.Implementation == "leap" && r.Transport == "tcp");
            var grpc = group.FirstOrDefault(r => r.Implementation == "leap" && r.Transport == "grpc");
            markdown.AppendLine(c, $"| {group.Key.Workers} | {Size(group.Key.Bytes)} | {Time(gloo)} | {Time(tcp)} | {Speed(tcp, gloo)} | {Time(grpc)} | {Speed(grpc, gloo)} | {Cpu(gloo)} / {Cpu(tcp)} / {Cpu(grpc)} |");
        }
    }

    /// <summary>4 B, 4 KiB, 1 MiB.</summary>
    public static string Size(long bytes) => bytes switch
    {
        >= 1 << 20 when bytes % (1 << 20) == 0 => string.Create(CultureInfo.InvariantCulture, $"{bytes >> 20} MiB"),
        >= 1 << 10 when bytes % (1 << 10) == 0 => string.Create(CultureInfo.InvariantCulture, $"{bytes >> 10} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };

    private static string Time(AllReduceLatencyReport? r) => r is null ? "—"
        : string.Create(CultureInfo.InvariantCulture, $"{r.MedianMicroseconds:0} ({r.P90Microseconds:0})");

    private static string Cpu(AllReduceLatencyReport? r) => r is null ? "—" : r.CpuMicrosecondsPerIteration.ToString("0", CultureInfo.InvariantCulture);

    private static string Speed(AllReduceLatencyReport? ours, AllReduceLatencyReport? gloo) =>
        ours is null || gloo is null || ours.MedianMicroseconds <= 0 ? "—"
            : (gloo.MedianMicroseconds / ours.MedianMicroseconds).ToString("0.00", CultureInfo.InvariantCulture) + "x";
}
