using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Leap.Benchmarks.CentreLoad;
using Leap.Benchmarks.Classifier;
using Leap.Launch;
using Leap.Collectives;
using Leap.Collectives.InProcess;
using Leap.Collectives.Ring;
using Leap.Training.Metrics;

namespace Leap.Cli.Commands;

/// <summary>
/// <c>leap bench classifier --classes C --workers N [--sample-rate r] [--batch 64] [--dim 512] [--warmup 1] [--steps 3]</c>:
/// the model-parallel classifier alone on N real worker processes (this command re-invoking <c>leap</c> with the hidden
/// <c>bench classifier rank</c> subcommand, ring over 127.0.0.1 TCP as in <c>leap bench allreduce</c>). Each rank holds
/// C / N rows; random embeddings stand in for the backbone. Reports the step time and every rank's peak RSS (VmHWM,
/// reset after set-up) and writes docs/bench/classifier-C&lt;C/1000&gt;K-N&lt;N&gt;[-r&lt;r&gt;].json.
/// </summary>
public static class BenchClassifierCommand
{
    private static readonly Dictionary<string, string> RankEnvironment = new() { ["DOTNET_TieredCompilation"] = "0" };

    public static Command Create()
    {
        var o = new SettingsOptions();
        var output = new Option<FileInfo?>("--out") { Description = "JSON result (default docs/bench/classifier-C<K>K-N<N>[-r<r>].json)." };
        var command = new Command("classifier", "Model-parallel classifier step time and peak memory per rank for C classes on N local processes.") { output, CreateRank() };
        o.AddTo(command);
        command.SetAction(async (parse, cancellation) =>
        {
            var (settings, errors) = o.Read(parse);
            if (settings is null)
            {
                errors.ToList().ForEach(e => Console.Error.WriteLine($"error: {e}"));
                return ExitCode.InvalidConfiguration;
            }
            string path = parse.GetValue(output)?.FullName ?? Path.GetFullPath(settings.DefaultPath());
            return await LaunchAsync(settings, path, cancellation).ConfigureAwait(false);
        });
        return command;
    }

    private static Command CreateRank()
    {
        var o = new SettingsOptions();
        var rank = new Option<int>("--rank") { Required = true };
        var peers = new Option<string>("--peers") { Required = true, Description = "host:port of every rank, comma-separated, index = rank." };
        var output = new Option<FileInfo>("--rank-out") { Required = true };
        var command = new Command("rank", "One rank of `leap bench classifier` (started by it).") { rank, peers, output };
        o.AddTo(command);
        command.Hidden = true;
        command.SetAction(async (parse, cancellation) =>
        {
            var (settings, errors) = o.Read(parse);
            if (settings is null)
            {
                errors.ToList().ForEach(e => Console.Error.WriteLine($"error: {e}"));
                return ExitCode.InvalidConfiguration;
            }
            return await RunRankAsync(settings, parse.GetValue(rank), parse.GetValue(peers)!.Split(','), parse.GetValue(output)!.FullName, cancellation).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> LaunchAsync(ClassifierBenchSettings s, string output, CancellationToken cancellation)
    {
        string I(long v) => v.ToString(CultureInfo.InvariantCulture);
        var started = DateTimeOffset.UtcNow;
        double load = CentreLoadBenchReport.CurrentLoadAverage() ?? 0;
        var peers = string.Join(',', FreePorts.Take(s.Workers).Select(p => $"127.0.0.1:{I(p)}"));
        string scratch = Directory.CreateTempSubdirectory("leap-bench-classifier-").FullName;
        Console.WriteLine($"bench classifier: C={I(s.Classes)} over {I(s.Workers)} processes, global batch {I(s.Batch)}, D={I(s.Dimension)}, sample rate {s.SampleRate.ToString(CultureInfo.InvariantCulture)}, {I(s.ThreadsPerRank)} torch thread(s) per rank, ring {peers}");
        try
        {
            using var group = new ProcessGroup();
            // The ranks' ring links check a token of this run, handed over in the environment (never on a command line).
            var rankEnvironment = new Dictionary<string, string>(RankEnvironment) { [Leap.Security.AuthEnvironment.Token] = Leap.Security.SharedToken.Generate() };
            for (int r = 0; r < s.Workers; r++)
            {
                group.Start($"rank {I(r)}",
                [
                    "bench", "classifier", "rank", "--rank", I(r), "--peers", peers, "--rank-out", Path.Combine(scratch, $"rank{I(r)}.json"),
                    .. SettingsOptions.Arguments(s),
                ], required: true, rankEnvironment);
            }
            var (code, failed) = await group.WaitAsync(cancellation).ConfigureAwait(false);
            if (failed is not null)
            {
                Console.Error.WriteLine($"bench classifier: {failed} exited with code {I(code)}; stopped the other ranks.");
                return code == ExitCode.Completed ? ExitCode.Failed : code;
            }
            var results = Enumerable.Range(0, s.Workers)
                .Select(r => JsonSerializer.Deserialize<ClassifierRankResult>(File.ReadAllText(Path.Combine(scratch, $"rank{I(r)}.json")))!)
                .ToList();
            var report = new ClassifierBenchReport(started, load, Environment.ProcessorCount, s.Classes, s.Workers, s.Batch, s.Dimension, s.SampleRate,
                s.ThreadsPerRank, s.WarmupSteps, s.Steps, results);
            Console.WriteLine(report.Summary());
            report.Write(output);
            Console.WriteLine($"wrote {output}");
            return ExitCode.Completed;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static async Task<int> RunRankAsync(ClassifierBenchSettings s, int rank, string[] peers, string output, CancellationToken cancellation)
    {
        TorchSharp.torch.set_num_threads(s.ThreadsPerRank);
        // Slow steps of a large shard on a loaded machine keep the peers waiting in a collective for a long time.
        var options = new RingOptions { Addresses = peers, Rank = rank, Token = Leap.Security.ClientSecurity.FromEnvironment(requireToken: true).Token, ExchangeTimeout = TimeSpan.FromMinutes(10), ConnectTimeout = TimeSpan.FromMinutes(2) };
        await using ICollectives ring = peers.Length == 1
            ? InProcessCollectives.Create(1, TimeSpan.FromMinutes(10))[0]
            : await RingCollectives.StartAsync(RingTransport.Tcp, options, cancellation: cancellation).ConfigureAwait(false);
        using var workload = new ClassifierShardWorkload(s, ring);
        long setupPeak = ProcessMemory.PeakResidentBytes();
        bool reset = ProcessMemory.ResetPeak();
        var times = new List<double>();
        var rows = new List<long>();
        double loss = double.NaN;
        for (int step = 0; step < s.WarmupSteps + s.Steps; step++)
        {
            var (elapsed, value, used) = workload.Run(step);
            loss = value;
            if (step >= s.WarmupSteps)
            {
                times.Add(elapsed.TotalSeconds);
                rows.Add(used);
            }
        }
        await ring.BarrierAsync(cancellation).ConfigureAwait(false);
        var result = new ClassifierRankResult(rank, workload.ShardRows, rows.Average(), times.Average(), times.Min(), setupPeak,
            ProcessMemory.PeakResidentBytes(), reset, loss);
        File.WriteAllText(output, JsonSerializer.Serialize(result));
        return ExitCode.Completed;
    }

    /// <summary>The options a launch and its ranks share.</summary>
    private sealed class SettingsOptions
    {
        private readonly Option<int> _classes = new("--classes") { Description = "Classifier rows C over all ranks.", DefaultValueFactory = _ => 100_000 };
        private readonly Option<int> _workers = new("--workers") { Description = "Worker processes N.", DefaultValueFactory = _ => 1 };
        private readonly Option<int> _batch = new("--batch") { Description = "Global batch (each rank draws batch / N embeddings).", DefaultValueFactory = _ => 64 };
        private readonly Option<int> _dimension = new("--dim") { Description = "Embedding size D.", DefaultValueFactory = _ => 512 };
        private readonly Option<double> _sampleRate = new("--sample-rate") { Description = "Partial FC: fraction of negative classes per step, (0, 1]; 1 = full classifier.", DefaultValueFactory = _ => 1.0 };
        private readonly Option<int> _warmup = new("--warmup") { Description = "Untimed steps first.", DefaultValueFactory = _ => 1 };
        private readonly Option<int> _steps = new("--steps") { Description = "Timed steps.", DefaultValueFactory = _ => 3 };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { _classes, _workers, _batch, _dimension, _sampleRate, _warmup, _steps })
            {
                command.Options.Add(option);
            }
        }

        public static string[] Arguments(ClassifierBenchSettings s)
        {
            string I(long v) => v.ToString(CultureInfo.InvariantCulture);
            return ["--classes", I(s.Classes), "--workers", I(s.Workers), "--batch", I(s.Batch), "--dim", I(s.Dimension),
                "--sample-rate", s.SampleRate.ToString("R", CultureInfo.InvariantCulture), "--warmup", I(s.WarmupSteps), "--steps", I(s.Steps)];
        }

        public (ClassifierBenchSettings? Settings, IReadOnlyList<string> Errors) Read(ParseResult parse)
        {
            var errors = new List<string>();
            var range = new OptionRangeCheck(parse, errors);
            int workers = range.Checked(_workers, 1, 64);
            int classes = range.Checked(_classes, Math.Max(1, workers), 100_000_000);
            int batch = range.Checked(_batch, 1, 1 << 20);
            if (workers >= 1 && batch % workers != 0)
            {
                errors.Add($"--batch = {batch} must be a multiple of --workers = {workers}.");
            }
            double rate = parse.GetValue(_sampleRate);
            if (!(rate > 0 && rate <= 1))
            {
                errors.Add($"--sample-rate = {rate.ToString(CultureInfo.InvariantCulture)} is out of range; allowed (0, 1].");
            }
            var settings = new ClassifierBenchSettings(classes, workers, batch, range.Checked(_dimension, 2, 65536), rate, range.Checked(_warmup, 0, 1000), range.Checked(_steps, 1, 100_000));
            return errors.Count == 0 ? (settings, errors) : (null, errors);
        }
    }
}
