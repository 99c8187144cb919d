using System.CommandLine;
using System.Globalization;
using Leap.Benchmarks.AllReduce;
using Leap.Launch;
using Leap.Collectives;
using Leap.Collectives.Ring;

namespace Leap.Cli.Commands;

/// <summary>
/// <c>leap bench allreduce --workers N --mb X [--iterations I] [--transport grpc|tcp]</c>: N real worker processes
/// (this command re-invoking <c>leap</c> with the hidden <c>bench allreduce rank</c> subcommand) form a ring on
/// 127.0.0.1 and time float32 sum all-reduces of X MiB per rank. Rank 0 prints algorithm, time, algbw and busbw and
/// writes docs/bench/allreduce-&lt;transport&gt;-N&lt;N&gt;-&lt;X&gt;MB.json. With <c>--bytes B</c> it measures the latency of
/// small all-reduces instead (median and p90 microseconds per call) into docs/bench/latency-&lt;transport&gt;-N&lt;N&gt;-&lt;B&gt;B.json.
/// </summary>
public static class BenchAllReduceCommand
{
    /// <summary>
    /// The ranks run fully optimized code from the first call. With tiered compilation on, a few-second benchmark also
    /// measures the JIT re-compiling the hot paths in the background (about a fifth of each rank's CPU in a profile of
    /// 4 ranks on 2 cores) — a cost a long training job pays only in its first minutes.
    /// </summary>
    private static readonly Dictionary<string, string> RankEnvironment = new() { ["DOTNET_TieredCompilation"] = "0" };

    public static Command Create()
    {
        var workers = new Option<int>("--workers") { Description = "Number of worker processes (ranks).", DefaultValueFactory = _ => 2 };
        var megabytes = new Option<int>("--mb") { Description = "Tensor size per rank in MiB (float32).", DefaultValueFactory = _ => 25 };
        var iterations = new Option<int?>("--iterations") { Description = $"Timed all-reduces (default {BandwidthIterations} after one warm-up; with --bytes {LatencyIterations} after {AllReduceLatencyBenchmark.WarmUps})." };
        var bytes = new Option<long?>("--bytes") { Description = "Measure latency instead of bandwidth: a small tensor of this many bytes per rank (float32, a multiple of 4, at most 16 MiB)." };
        var transport = TransportOption();
        var chunkKb = ChunkOption();
        var output = new Option<FileInfo?>("--out") { Description = "JSON result (default docs/bench/allreduce-<transport>-N<N>-<MB>MB.json)." };
        var command = new Command("allreduce", "All-reduce bandwidth between N local worker processes over the ring (gRPC or raw TCP).")
        {
            workers, megabytes, iterations, bytes, transport, chunkKb, output, CreateRank(),
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var (n, mb, kb, small) = (parse.GetValue(workers), parse.GetValue(megabytes), parse.GetValue(chunkKb), parse.GetValue(bytes));
            int its = parse.GetValue(iterations) ?? (small is null ? BandwidthIterations : LatencyIterations);
            if (n is < 1 or > 64 || mb < 1 || its < 1 || kb < 1)
            {
                Console.Error.WriteLine("error: need 1 <= --workers <= 64, --mb >= 1, --iterations >= 1, --chunk-kb >= 1.");
                return ExitCode.InvalidConfiguration;
            }
            if (small is not null && parse.GetResult(megabytes) is { Implicit: false })
            {
                Console.Error.WriteLine("error: give --mb (bandwidth) or --bytes (latency), not both.");
                return ExitCode.InvalidConfiguration;
            }
            if (small is long b && (b < 4 || b % 4 != 0 || b > MaxLatencyBytes))
            {
                Console.Error.WriteLine($"error: --bytes must be a multiple of 4 in [4, {MaxLatencyBytes}] (a float32 tensor; larger sizes are bandwidth: use --mb); got {b}.");
                return ExitCode.InvalidConfiguration;
            }

            var name = parse.GetValue(transport)!;
            var path = parse.GetValue(output)?.FullName ?? Path.GetFullPath(small is long size
                ? AllReduceLatencyReport.DefaultPath(name, n, size)
                : AllReduceBenchReport.DefaultPath(name, n, mb));
            return await LaunchRanksAsync(n, mb, small, its, name, kb, path, cancellation).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>The hidden per-process worker: <c>leap bench allreduce rank --rank r --peers host:port,... ...</c>.</summary>
    private static Command CreateRank()
    {
        var rank = new Option<int>("--rank") { Required = true };
        var peers = new Option<string>("--peers") { Required = true, Description = "host:port of every rank, comma-separated, index = rank." };
        var megabytes = new Option<int>("--mb") { Required = true };
        var bytes = new Option<long?>("--bytes");
        var iterations = new Option<int>("--iterations") { Required = true };
        var transport = TransportOption();
        var chunkKb = ChunkOption();
        var output = new Option<FileInfo>("--out") { Required = true };
        var command = new Command("rank", "One rank of `leap bench allreduce` (started by it).")
        {
            rank, peers, megabytes, bytes, iterations, transport, chunkKb, output,
        };
        command.Hidden = true;
        command.SetAction((parse, cancellation) => RunRankAsync(
            parse.GetValue(rank), parse.GetValue(peers)!.Split(','), parse.GetValue(megabytes), parse.GetValue(bytes), parse.GetValue(iterations),
            parse.GetValue(transport)!, parse.GetValue(chunkKb), parse.GetValue(output)!.FullName, cancellation));
        return command;
    }

    private static async Task<int> LaunchRanksAsync(int n, int megabytes, long? bytes, int iterations, string transport, int chunkKb, string output,
        CancellationToken cancellation)
    {
        string I(long v) => v.ToString(CultureInfo.InvariantCulture);
        var peers = string.Join(',', FreePorts.Take(n).Select(p => $"127.0.0.1:{I(p)}"));
        // The ranks' links check a token of this run, handed over in the environment (never on a command line).
        var rankEnvironment = new Dictionary<string, string>(RankEnvironment) { [Leap.Security.AuthEnvironment.Token] = Leap.Security.SharedToken.Generate() };
        string size = bytes is long b ? $"{I(b)} bytes (latency)" : $"{I(megabytes)} MiB";
        Console.WriteLine($"bench allreduce: {I(n)} processes, {size} float32 per rank, {I(iterations)} iterations, {transport}, ring {peers}, DOTNET_TieredCompilation=0");
        using var group = new ProcessGroup();
        for (int r = 0; r < n; r++)
        {
            string[] arguments =
            [
                "bench", "allreduce", "rank", "--rank", I(r), "--peers", peers, "--mb", I(megabytes), "--iterations", I(iterations),
                "--transport", transport, "--chunk-kb", I(chunkKb), "--out", output,
            ];
            group.Start($"rank {I(r)}", bytes is long b2 ? [.. arguments, "--bytes", I(b2)] : arguments, required: true, rankEnvironment);
        }
        var (code, failed) = await group.WaitAsync(cancellation).ConfigureAwait(false);
        if (failed is not null)
        {
            Console.Error.WriteLine($"bench allreduce: {failed} exited with code {I(code)}; stopped the other ranks.");
        }

        return code;
    }

    private static async Task<int> RunRankAsync(int rank, string[] peers, int megabytes, long? bytes, int iterations, string transport, int chunkKb, string output,
        CancellationToken cancellation)
    {
        var options = new RingOptions { Addresses = peers, Rank = rank, ChunkBytes = chunkKb << 10, Token = Leap.Security.ClientSecurity.FromEnvironment(requireToken: true).Token };
        await using var ring = await RingCollectives.StartAsync(ParseTransport(transport), options, cancellation: cancellation).ConfigureAwait(false);
        if (bytes is long size)
        {
            var latency = await AllReduceLatencyBenchmark.RunAsync(ring, size, iterations, cancellation).ConfigureAwait(false);
            await ring.BarrierAsync(cancellation).ConfigureAwait(false);
            if (rank == 0)
            {
                var report = AllReduceLatencyReport.From(latency, transport);
                Console.WriteLine(report.Table());
                report.Write(output);
                Console.WriteLine($"wrote {output}");
            }
            return ExitCode.Completed;
        }

        var result = await AllReduceBenchmark.RunAsync(ring, megabytes, iterations, cancellation).ConfigureAwait(false);
        await ring.BarrierAsync(cancellation).ConfigureAwait(false); // nobody closes its links while a peer still finishes
        if (rank == 0)
        {
            var report = AllReduceBenchReport.From(result, transport, megabytes);
            Console.WriteLine(report.Table());
            report.Write(output);
            Console.WriteLine($"wrote {output}");
        }

        return ExitCode.Completed;
    }

    private const int BandwidthIterations = 10;
    private const int LatencyIterations = 2000;
    private const long MaxLatencyBytes = 16L << 20;

    private static Option<string> TransportOption()
    {
        var option = new Option<string>("--transport") { Description = "Ring transport: tcp (raw sockets) or grpc (HTTP/2).", DefaultValueFactory = _ => "tcp" };
        option.AcceptOnlyFromAmong("tcp", "grpc");
        return option;
    }

    private static Option<int> ChunkOption() =>
        new("--chunk-kb") { Description = "Ring chunk (frame payload) size in KiB.", DefaultValueFactory = _ => new RingOptions().ChunkBytes >> 10 };

    private static RingTransport ParseTransport(string name) => name == "grpc" ? RingTransport.Grpc : RingTransport.Tcp;
}
