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
        markdown.AppendLine("| N | MiB | gloo busbw GB/s | ring/TCP busbw GB/s | ratio | ring/gRPC busbw GB/s | ratio | cpu ms/it gloo / TCP / gRPC | managed MB / GC pause ms per it, TCP; gRPC |");
        markdown.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var group in runs.GroupBy(r => (r.Workers, r.Megabytes)).OrderBy(g => g.Key.Workers).ThenBy(g => g.Key.Megabytes))
        {
            var gloo = group.FirstOrDefault(r => r.Implementation == "gloo");
            var tcp = group.FirstOrDefault(r => r.Implementation == "leap" && r.Transport == "tcp");
            var grpc = group.FirstOrDefault(r => r.Implementation == "leap" && r.Transport == "grpc");
            markdown.AppendLine(c, $"| {group.Key.Workers} | {group.Key.Megabytes} | {Bw(gloo)} | {Bw(tcp)} | {Ratio(tcp, gloo)} | {Bw(grpc)} | {Ratio(grpc, gloo)} | {Cpu(gloo)} / {Cpu(tcp)} / {Cpu(grpc)} | {Heap(tcp)}; {Heap(grpc)} |");
        }
        markdown.AppendLine();
        markdown.AppendLine("What limits it: every rank is a process on the same 2 cores, so the ring moves bytes through loopback TCP (kernel copies) and the reduction competes with the sender and receiver threads of the other ranks for the same two cores; with N = 4 ranks on 2 cores the figure measures CPU time per byte more than any link. Both implementations pay the same loopback cost, so the ratio is the meaningful figure; absolute GB/s is not comparable to a real network.");
        RenderGrpcCosts(results, markdown);
    }

    /// <summary>Why the gRPC ring costs more CPU per byte than the TCP ring: its socket calls and its heap.</summary>
    private static void RenderGrpcCosts(BenchmarkResults results, StringBuilder markdown)
    {
        var counts = results.All<RingSyscallCounts>("ring-syscalls-*.json").Select(r => r.Value).OrderBy(r => r.Transport, StringComparer.Ordinal).ToList();
        var c = CultureInfo.InvariantCulture;
        markdown.AppendLine();
        markdown.AppendLine("**Where the gRPC ring's CPU goes.** Both transports move the same frames; the gRPC one wraps each in a protobuf message on an HTTP/2 stream (SocketsHttpHandler sending, Kestrel receiving). Its extra cost is system calls and the managed heap:");
        markdown.AppendLine();
        if (counts.Count == 0)
        {
            markdown.AppendLine("No socket-call counts yet: run `scripts/bench-ring-syscalls.sh`.");
        }
        else
        {
            markdown.AppendLine(c, $"Command: `scripts/bench-ring-syscalls.sh` (strace -c over a whole `leap bench allreduce --workers {counts[0].Workers} --mb {counts[0].Megabytes}` run, setup included), {counts[0].StartedUtc:yyyy-MM-dd HH:mm} UTC.");
            markdown.AppendLine();
            markdown.AppendLine("| transport | receive calls per rank per all-reduce | KiB per receive call | send calls per rank per all-reduce | KiB per send call |");
            markdown.AppendLine("|---|---|---|---|---|");
            foreach (var r in counts)
            {
                markdown.AppendLine(c, $"| {r.Transport} | {r.ReceiveCallsPerAllReduce:N0} | {r.BytesPerRankPerAllReduce / r.ReceiveCallsPerAllReduce / 1024:0.0} | {r.SendCallsPerAllReduce:N0} | {r.BytesPerRankPerAllReduce / r.SendCallsPerAllReduce / 1024:0.0} |");
            }
        }

        markdown.AppendLine();
        markdown.AppendLine("- Sending: SocketsHttpHandler cuts a message into HTTP/2 DATA frames of 16 KiB, the protocol's default, and writes each with its own send call. It does not use a larger frame size even when the server allows one (tried: Kestrel's `Http2.MaxFrameSize` at 256 KiB changed nothing).");
        markdown.AppendLine("- Receiving: Kestrel reads into blocks from its memory pool, one receive call per block. Its default blocks are 4 KiB, so a 1 MiB frame took about 500 calls (about 2 KiB each). The ring's server now gives Kestrel a pool of 256 KiB blocks (`LargeBlockMemoryPool`, through ASP.NET Core 10's `IMemoryPoolFactory`), so a receive call takes what the sender wrote.");
        markdown.AppendLine("- Heap: the protobuf parser copies each frame's payload into a new array before the ring copies it into the tensor, so every all-reduce allocates about its received bytes on the managed heap (the last column), and the runtime pauses to collect it. The TCP ring receives straight into the tensor and allocates nothing. A marshaller that parses the payload into pooled memory would remove this cost; it is not written yet.");
    }

    private static string Heap(AllReduceBenchReport? r) => r?.ManagedBytesPerIteration is null || r.GcPauseSecondsPerIteration is null ? "—"
        : string.Create(CultureInfo.InvariantCulture, $"{r.ManagedBytesPerIteration.Value / 1e6:0.0} / {r.GcPauseSecondsPerIteration.Value * 1e3:0.0}");

    private static string Bw(AllReduceBenchReport? r) => r is null ? "—" : r.BusBandwidthGBps.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Cpu(AllReduceBenchReport? r) => r is null ? "—" : (r.CpuSecondsPerIteration * 1e3).ToString("0", CultureInfo.InvariantCulture);

    private static string Ratio(AllReduceBenchReport? ours, AllReduceBenchReport? gloo) =>
        ours is null || gloo is null || gloo.BusBandwidthGBps <= 0 ? "—"
            : (ours.BusBandwidthGBps / gloo.BusBandwidthGBps).ToString("0.00", CultureInfo.InvariantCulture) + "x";
}
