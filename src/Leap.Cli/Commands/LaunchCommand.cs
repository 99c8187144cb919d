using System.CommandLine;
using System.Globalization;
using Leap.Cli.Configuration;
using Leap.Cli.Launch;
using Leap.Training.Configuration;
using Leap.Training.Data;

namespace Leap.Cli.Commands;

/// <summary>
/// <c>leap launch --workers N [--config FILE] [--set ...]</c>: a local multi-process run on one box — the coordinator
/// and N workers as real processes, their output prefixed with their name; exits non-zero as soon as any of them
/// fails (killing the rest), and cleans up its children on Ctrl-C.
/// </summary>
public static class LaunchCommand
{
    public static Command Create()
    {
        var workers = new Option<int>("--workers") { Description = "Number of worker processes.", DefaultValueFactory = _ => 2 };
        var config = new Option<FileInfo?>("--config") { Description = "Training configuration (JSON), passed to every worker." };
        var set = new Option<string[]>("--set") { Description = "Training key override (repeatable), passed to every worker." };
        var job = new Option<string>("--job") { Description = "Job id.", DefaultValueFactory = _ => "leap" };
        var transport = new Option<Leap.Collectives.Ring.RingTransport>("--transport") { Description = "Collective ring transport: Tcp or Grpc.", DefaultValueFactory = _ => Leap.Collectives.Ring.RingTransport.Tcp };
        var local = new Option<bool>("--no-centre-service") { Description = "Keep cloud statistics in each worker instead of the central service." };
        var metrics = new Option<bool>("--metrics") { Description = "Serve Prometheus /metrics from every process on free loopback ports (printed at start); off by default." };
        var command = new Command("launch", "Run a distributed job locally: coordinator, centre service and N worker processes.") { workers, config, set, job, transport, local, metrics };
        command.SetAction(async (parse, cancellation) =>
        {
            int n = parse.GetValue(workers);
            if (n < 1 || n > 64)
            {
                Console.Error.WriteLine($"--workers = {n} is out of range; allowed [1, 64].");
                return 2;
            }
            string? configPath = parse.GetValue(config)?.FullName;
            string[] overrides = parse.GetValue(set) ?? [];
            TrainingOptions options;
            try
            {
                options = TrainingConfigLoader.Load(configPath, overrides);
            }
            catch (ConfigurationException e)
            {
                Console.Error.WriteLine($"Invalid configuration:{Environment.NewLine}{e.Message}");
                return 2;
            }
            if (options.BatchSize % n != 0)
            {
                Console.Error.WriteLine($"Training:BatchSize = {options.BatchSize} (the global batch) must be divisible by --workers {n}.");
                return 2;
            }
            long samples;
            try
            {
                samples = LongTailIdxData.BuildManifest(options).KeptSampleCount;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
            return await RunAsync(n, parse.GetValue(job)!, parse.GetValue(transport).ToString(), !parse.GetValue(local), configPath, overrides, options, samples,
                parse.GetValue(metrics), cancellation).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(int n, string job, string transport, bool centreService, string? configPath, string[] overrides, TrainingOptions options, long samples,
        bool metrics, CancellationToken cancellation)
    {
        int[] ports = FreePorts.Take(metrics ? 2 * (n + 2) : n + 2);
        int centrePort = ports[n + 1];
        // With --metrics: ports[n + 2] the coordinator's, ports[n + 3] the centre service's, ports[n + 4 + r] rank r's.
        int MetricsPort(int slot) => metrics ? ports[n + 2 + slot] : 0;
        string I(long v) => v.ToString(CultureInfo.InvariantCulture);
        if (metrics)
        {
            Console.Out.WriteLine($"launch: metrics at http://127.0.0.1:{I(MetricsPort(0))}/metrics (coordinator)" +
                (centreService ? $", http://127.0.0.1:{I(MetricsPort(1))}/metrics (centre service)" : "") +
                $", http://127.0.0.1:{I(MetricsPort(2))}/metrics .. :{I(MetricsPort(n + 1))} (ranks 0..{I(n - 1)})");
        }
        using var group = new ProcessGroup();
        group.Add(ChildProcess.Start("coordinator",
        [
            "coordinator", "--port", I(ports[0]), "--set", $"Metrics:Port={I(MetricsPort(0))}",
            "--set", $"Coordinator:JobId={job}", "--set", $"Coordinator:WorldSize={I(n)}", "--set", $"Coordinator:Seed={I(options.Seed)}",
            "--set", $"Coordinator:SampleCount={I(samples)}", "--set", $"Coordinator:GlobalBatchSize={I(options.BatchSize)}",
            "--set", $"Coordinator:StateDirectory={Path.Combine(options.OutputDirectory, "coordinator")}",
        ]));
        if (!await PortProbe.WaitUntilListeningAsync(ports[0], TimeSpan.FromSeconds(60), cancellation).ConfigureAwait(false))
        {
            Console.Error.WriteLine($"launch: the coordinator did not listen on port {ports[0]} within 60 s.");
            return 1;
        }
        if (centreService)
        {
            group.Add(ChildProcess.Start("centre",
            [
                "centre-service", "--port", I(centrePort), "--set", $"Metrics:Port={I(MetricsPort(1))}",
                "--set", $"CentreService:StateDirectory={Path.Combine(options.OutputDirectory, "centre-service")}",
            ]));
            if (!await PortProbe.WaitUntilListeningAsync(centrePort, TimeSpan.FromSeconds(60), cancellation).ConfigureAwait(false))
            {
                Console.Error.WriteLine($"launch: the centre service did not listen on port {centrePort} within 60 s.");
                return 1;
            }
        }
        var workers = new List<ChildProcess>();
        for (int r = 0; r < n; r++)
        {
            var args = new List<string>
            {
                "worker", "--coordinator", $"http://127.0.0.1:{I(ports[0])}", "--job", job, "--world-size", I(n), "--peer-port", I(ports[r + 1]),
                "--rank", I(r), "--transport", transport, "--metrics-port", I(MetricsPort(r + 2)),
            };
            if (centreService)
            {
                args.AddRange(["--centre-service", $"http://127.0.0.1:{I(centrePort)}"]);
            }
            if (configPath is not null)
            {
                args.AddRange(["--config", configPath]);
            }
            foreach (string o in overrides)
            {
                args.AddRange(["--set", o]);
            }
            workers.Add(group.Add(ChildProcess.Start($"rank {r}", args)));
        }
        var (code, failed) = await group.WaitAsync(workers, cancellation).ConfigureAwait(false);
        if (failed is not null)
        {
            Console.Error.WriteLine($"launch: {failed} exited with code {code}; stopped the other processes.");
        }
        else if (code == 130)
        {
            Console.Error.WriteLine("launch: interrupted; stopped all processes.");
        }
        return code;
    }
}
