using System.Globalization;
using System.Text;
using Leap.Benchmarks.CentreLoad;

namespace Leap.Benchmarks.Report;

/// <summary>The centre service under N concurrent pushing clients (docs/bench/centre-load.json) against the 20 ms p99 target.</summary>
public sealed class CentreLoadSection : IBenchmarkSection
{
    private const double TargetP99Milliseconds = 20;

    public string Title => "Centre service under load";

    public void Render(BenchmarkResults results, StringBuilder markdown)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(markdown);
        var c = CultureInfo.InvariantCulture;
        var r = results.One<CentreLoadBenchReport>("centre-load.json");
        if (r is null)
        {
            markdown.AppendLine("No results yet: run `leap bench centre --clients 8 --duration 20s`.");
            return;
        }
        markdown.AppendLine(c, $"Command: `leap bench centre --clients {r.Clients} --duration {r.DurationSeconds:0}s` (service: {r.Service}), {r.StartedUtc:yyyy-MM-dd HH:mm} UTC, 1-minute load average at the start {r.LoadAverage:0.0} on {r.ProcessorCount} cores.");
        markdown.AppendLine();
        markdown.AppendLine(c, $"Layout: {r.HeadClasses:N0} head classes (K_i = {r.HeadSamples}) + {r.TailClasses:N0} tail classes (K_i = {r.TailSamples}), D = {r.Dimension}, {r.FeaturesPerPush} feature rows per push, each client owning a balanced shard of the classes.");
        markdown.AppendLine();
        // centre-load.json first (the command's default), then the other runs (--service-cpus, --interval) by file name.
        var rows = results.All<CentreLoadBenchReport>("centre-load*.json").OrderBy(f => f.File != "centre-load.json").ThenBy(f => f.File, StringComparer.Ordinal).ToList();
        markdown.AppendLine("The client's p50 / p99 is the round trip of a push as a worker sees it; the service's own figures come from its `leap_centre_push_seconds` histogram over the same pushes (from the call reaching the handler to its reply, fsync included; interpolated inside the histogram's power-of-two buckets from 0.5 ms), so the difference is transport, scheduling and GC outside the store.");
        markdown.AppendLine("Other rows: the same command with `--service-cpus 1` (the service as its own process on CPU 1, the clients on CPU 0) and/or `--interval T` (each client pushes every T on a fixed schedule, as a worker pushes once per refresh interval, instead of back to back), `--out docs/bench/centre-load-<name>.json`.");
        markdown.AppendLine();
        markdown.AppendLine("| file | placement | push interval | run (UTC), load 1 min | clients | pushes | failures | pushes/s | rows/s | p50 ms | p99 ms | max ms | p99 / target (20 ms) | service's own p50 / p99 ms |");
        markdown.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (file, row) in rows)
        {
            string pace = row.PushIntervalMilliseconds > 0 ? string.Create(c, $"{row.PushIntervalMilliseconds:0} ms") : "back to back";
            markdown.AppendLine(c, $"| {file} | {row.Placement ?? "service in-process with the clients, on every CPU"} | {pace} | {row.StartedUtc:yyyy-MM-dd HH:mm}, {row.LoadAverage:0.0} | {row.Clients} | {row.Pushes} | {row.Failures} | {row.PushesPerSecond:0.0} | {row.RowsPerSecond:0} | {row.P50Milliseconds:0.0} | {row.P99Milliseconds:0.0} | {row.MaxMilliseconds:0.0} | {row.P99Milliseconds / TargetP99Milliseconds:0.00}x | {(row.ServerP99Milliseconds is double sp99 ? string.Create(c, $"{row.ServerP50Milliseconds:0.0} / {sp99:0.0}") : "—")} |");
        }
        markdown.AppendLine();
        foreach (var (file, row) in rows)
        {
            markdown.AppendLine(row.P99Milliseconds <= TargetP99Milliseconds
                ? $"{file}: the p99 target is met."
                : string.Create(c, $"{file}: the p99 target is missed by {row.P99Milliseconds - TargetP99Milliseconds:0} ms ({row.P99Milliseconds / TargetP99Milliseconds:0.0}x)."));
            markdown.AppendLine();
        }
        markdown.AppendLine(
            "A push is a round trip that includes the durable append of the update to the service's log before the acknowledgement " +
            "(group-committed: one fsync acknowledges every push written while the previous one ran), the angle computation for " +
            "512 x 512-d rows and the statistics update of the touched partitions. With 8 clients pushing back to back the latency is " +
            "mostly queueing: by Little's law each push waits about clients / throughput, which is what p50 shows; pinning the service " +
            "to its own CPU removes the clients' request building from its CPU but also halves the CPUs it had. What would close the " +
            "rest: more cores for the service (in Kubernetes it is its own pod) and a cheaper apply path (one native call per partition " +
            "instead of a dozen small tensor operations).");
        markdown.AppendLine();
        markdown.AppendLine("What a push costs a training step is measured with the real refresh path in the next section (Centre refresh share of the step).");
    }
}
