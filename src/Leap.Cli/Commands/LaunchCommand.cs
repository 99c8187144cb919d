using System.CommandLine;
using System.Globalization;
using Leap.Launch;
using Leap.Coordinator;
using Leap.Runs.Configuration;
using Leap.Training.Configuration;
using Leap.Training.Data;

namespace Leap.Cli.Commands;

/// <summary>
/// <c>leap launch --workers N [--config FILE] [--set ...]</c>: a local multi-process run on one box — the coordinator
/// and N workers as real processes, their output prefixed with their name. A process that fails is restarted (at
/// most --max-restarts times each; workers re-register and resume from the last committed checkpoint); past that the
/// launch exits non-zero, killing the rest. On Ctrl-C (or SIGINT/SIGTERM to the launcher) the workers finish the step
/// they agree on, report its checkpoint for commit and exit 130; the services (which ignore the terminal's Ctrl-C,
/// <see cref="LaunchedService"/>) are stopped after them, and the launch exits 130 (<see cref="ProcessGroup"/>). Every child gets the launch's shared
/// token through its environment (<see cref="LaunchToken"/>). Every worker gets its share of the cores as torch intra-op
/// threads (<see cref="WorkerThreads"/>: <c>--set Threads=K</c> unless the user set Threads, and OMP/MKL_NUM_THREADS=K).
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
        var maxRestarts = new Option<int>("--max-restarts")
        {
            Description = "Times each process (coordinator, centre service, every worker) is restarted after it fails; workers resume from the last committed checkpoint.",
            DefaultValueFactory = _ => 3,
        };
        var metrics = new Option<bool>("--metrics") { Description = "Serve Prometheus /metrics from every process on free loopback ports (printed at start); off by default." };
        var reshard = new Option<bool>("--reshard")
        {
            Description = "Resume a run whose last committed checkpoint another number of workers wrote: the classifier rows and their optimizer state are re-sharded over --workers (Coordinator:AllowWorldSizeChange).",
        };
        var command = new Command("launch", "Run a distributed job locally: coordinator, centre service and N worker processes.") { workers, config, set, job, transport, local, maxRestarts, metrics, reshard };
        command.SetAction(async (parse, cancellation) =>
        {
            int n = parse.GetValue(workers);
            if (n < 1 || n > 64)
            {
                Console.Error.WriteLine($"--workers = {n} is out of range; allowed [1, 64].");
                return ExitCode.InvalidConfiguration;
            }
            int restarts = parse.GetValue(maxRestarts);
            if (restarts < 0 || restarts > 100)
            {
                Console.Error.WriteLine($"--max-restarts = {restarts} is out of range; allowed [0, 100].");
                return ExitCode.InvalidConfiguration;
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
                return ExitCode.InvalidConfiguration;
            }
            if (options.BatchSize % n != 0)
            {
                Console.Error.WriteLine($"Training:BatchSize = {options.BatchSize} (the global batch) must be divisible by --workers {n}.");
                return ExitCode.InvalidConfiguration;
            }
            long samples;
            try
            {
                using var data = RunData.Open(options);
                samples = data.Train.Count;
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                Console.Error.WriteLine($"Invalid configuration: {e.Message}");
                return ExitCode.InvalidConfiguration;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCode.Failed;
            }
            try
            {
                Directory.CreateDirectory(options.OutputDirectory);
                if (Runs.ResumedRunConfiguration.Refusal(options) is string refusal)
                {
                    Console.Error.WriteLine($"launch: error: {refusal}");
                    return ExitCode.InvalidConfiguration;
                }

                if (!options.Checkpoint.Resume && Runs.FreshRunDirectory.MoveAside(options.OutputDirectory, DateTimeOffset.UtcNow) is string previous)
                {
                    Console.Out.WriteLine($"launch: Checkpoint:Resume=false: the previous run in {options.OutputDirectory} was moved to {previous}; starting fresh.");
                }

                var coordinatorOptions = new CoordinatorOptions
                {
                    JobId = parse.GetValue(job)!,
                    WorldSize = n,
                    StateDirectory = CoordinatorStateDirectory(options),
                    AllowWorldSizeChange = parse.GetValue(reshard),
                };
                if (WorldSizeChangeValidator.Refusal(coordinatorOptions) is string changed)
                {
                    Console.Error.WriteLine($"launch: error: {changed}");
                    return ExitCode.InvalidConfiguration;
                }

                RunConfigFile.Save(options);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: cannot write the run's configuration into {options.OutputDirectory}: {e.Message}");
                return ExitCode.Failed;
            }

            var launch = new LaunchPlan(n, parse.GetValue(job)!, parse.GetValue(transport).ToString(), !parse.GetValue(local), new RestartPolicy(restarts),
                parse.GetValue(metrics), parse.GetValue(reshard));
            return await RunAsync(launch, configPath, overrides, options, samples, cancellation).ConfigureAwait(false);
        });
        return command;
    }

    private sealed record LaunchPlan(int Workers, string Job, string Transport, bool CentreService, RestartPolicy Restarts, bool Metrics, bool Reshard);

    private static string CoordinatorStateDirectory(TrainingOptions options) => Path.Combine(options.OutputDirectory, "coordinator");

    private static async Task<int> RunAsync(LaunchPlan launch, string? configPath, string[] overrides, TrainingOptions options, long samples,
        CancellationToken cancellation)
    {
        var (n, job, transport, centreService, _, metrics, reshard) = launch;
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
        var environment = LaunchToken.ChildEnvironment(options.OutputDirectory, out string? tokenFile);
        if (tokenFile is not null)
        {
            Console.WriteLine($"launch: a shared token was generated for this launch; query it with {Leap.Security.AuthEnvironment.TokenFile}={tokenFile} leap stats ...");
        }
        int threads = AnnounceWorkerThreads(options.Threads, n);
        var workerEnvironment = new Dictionary<string, string>(environment);
        foreach (var (key, value) in WorkerThreads.ChildEnvironment(threads))
        {
            workerEnvironment[key] = value;
        }
        var serviceEnvironment = new Dictionary<string, string>(environment) { [LaunchedService.EnvironmentVariable] = LaunchedService.On };
        using var group = new ProcessGroup(launch.Restarts);
        group.Start("coordinator",
        [
            "coordinator", "--port", I(ports[0]), "--set", $"Metrics:Port={I(MetricsPort(0))}",
            "--set", $"Coordinator:JobId={job}", "--set", $"Coordinator:WorldSize={I(n)}", "--set", $"Coordinator:Seed={I(options.Seed)}",
            "--set", $"Coordinator:SampleCount={I(samples)}", "--set", $"Coordinator:GlobalBatchSize={I(options.BatchSize)}",
            "--set", $"Coordinator:StateDirectory={CoordinatorStateDirectory(options)}", "--set", $"Coordinator:AllowWorldSizeChange={reshard}",
        ], required: false, serviceEnvironment);
        if (!await PortProbe.WaitUntilListeningAsync(ports[0], TimeSpan.FromSeconds(60), cancellation).ConfigureAwait(false))
        {
            Console.Error.WriteLine($"launch: the coordinator did not listen on port {ports[0]} within 60 s.");
            return ExitCode.Failed;
        }
        if (centreService)
        {
            group.Start("centre",
            [
                "centre-service", "--port", I(centrePort), "--set", $"Metrics:Port={I(MetricsPort(1))}",
                "--set", $"CentreService:StateDirectory={Path.Combine(options.OutputDirectory, "centre-service")}",
            ], required: false, serviceEnvironment);
            if (!await PortProbe.WaitUntilListeningAsync(centrePort, TimeSpan.FromSeconds(60), cancellation).ConfigureAwait(false))
            {
                Console.Error.WriteLine($"launch: the centre service did not listen on port {centrePort} within 60 s.");
                return ExitCode.Failed;
            }
            Console.Out.WriteLine($"launch: centre service at 127.0.0.1:{I(centrePort)} (leap stats --service 127.0.0.1:{I(centrePort)})");
        }
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
            if (options.Threads == 0)
            {
                args.AddRange(["--set", $"Threads={I(threads)}"]);
            }
            group.Start($"rank {r}", args, required: true, workerEnvironment);
        }
        var (code, failed) = await group.WaitAsync(cancellation).ConfigureAwait(false);
        if (code == ExitCode.Interrupted)
        {
            Console.Error.WriteLine(failed is null
                ? "launch: interrupted; the workers stopped after the same step and its checkpoint was committed; rerun the same command to resume."
                : $"launch: interrupted; {failed} did not stop cleanly; a rerun of the same command resumes from the last committed checkpoint.");
        }
        else if (failed is not null)
        {
            Console.Error.WriteLine($"launch: {failed} exited with code {code}; stopped the other processes.");
        }
        return code;
    }

    /// <summary>Each worker's intra-op thread count (<see cref="WorkerThreads"/>), printed, with a warning when the workers oversubscribe the cores.</summary>
    private static int AnnounceWorkerThreads(int configured, int workers)
    {
        int cores = Environment.ProcessorCount;
        int threads = WorkerThreads.PerWorker(configured, cores, workers);
        string source = configured > 0 ? "Training:Threads" : $"{cores} cores / {workers} workers";
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"launch: {threads} torch intra-op thread(s) per worker ({source})"));
        if (WorkerThreads.Oversubscribes(threads, workers, cores))
        {
            string hint = configured > 0 ? "; leave Training:Threads unset (0) to split the cores over the workers" : " (more workers than cores)";
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"launch: warning: {workers} workers x {threads} intra-op thread(s) = {(long)workers * threads} threads on {cores} cores oversubscribe the CPU{hint}."));
        }
        return threads;
    }
}
