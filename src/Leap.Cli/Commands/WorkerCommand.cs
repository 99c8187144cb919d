using System.CommandLine;
using Leap.Cli.Hosting;
using Leap.Cli.Rendering;
using Leap.Launch;
using Leap.Runs.Configuration;
using Leap.Training.Configuration;
using Leap.Worker;
using Spectre.Console;
using Serilog.Extensions.Logging;

namespace Leap.Cli.Commands;

/// <summary>
/// <c>leap worker --coordinator URL --world-size N --peer-port P [--config FILE] [--set ...]</c>: one rank of a job.
/// Exit codes: <see cref="ExitCode"/> (3 = its generation ended; restart it to resume from the last commit). It
/// serves a ring peer, so like every host it needs the shared token (LEAP_AUTH_TOKEN or LEAP_AUTH_TOKEN_FILE) unless
/// LEAP_Auth__Disabled=true; it sends the same token to the coordinator and the centre service. It sets and logs its torch
/// intra-op threads at start (<see cref="IntraOpThreads"/>). The run itself is <see cref="WorkerRun"/> (Leap.Worker); this
/// command maps its outcome and failures onto exit codes and, on rank 0, writes evaluation.json and shows the evaluation.
/// </summary>
public static class WorkerCommand
{
    public static Command Create()
    {
        var coordinator = new Option<string>("--coordinator") { Description = "Coordinator URL, e.g. http://127.0.0.1:5100.", Required = true };
        var job = new Option<string>("--job") { Description = "Job id.", DefaultValueFactory = _ => "leap" };
        var world = new Option<int>("--world-size") { Description = "Workers in the job.", Required = true };
        var host = new Option<string>("--peer-host") { Description = "Host other workers reach this one at.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--peer-port") { Description = "Port of this worker's collective peer service.", Required = true };
        var rank = new Option<int?>("--rank") { Description = "Rank to ask the coordinator for (a launcher's slot); default: any." };
        var centre = new Option<string?>("--centre-service") { Description = "Class-centre service URL; without it statistics stay in-process." };
        var transport = new Option<Leap.Collectives.Ring.RingTransport>("--transport") { Description = "Collective ring transport: Tcp or Grpc.", DefaultValueFactory = _ => Leap.Collectives.Ring.RingTransport.Tcp };
        var metricsPort = new Option<int>("--metrics-port") { Description = "Serve Prometheus /metrics over HTTP on this port (bound like --peer-host); 0 = off.", DefaultValueFactory = _ => 0 };
        var config = new Option<FileInfo?>("--config") { Description = "Training configuration (JSON)." };
        var set = new Option<string[]>("--set") { Description = "Training key override (repeatable)." };
        var command = new Command("worker", "Run one worker (rank) of a distributed training job.") { coordinator, job, world, host, port, rank, centre, transport, metricsPort, config, set };
        command.SetAction(async (parse, cancellation) =>
        {
            TrainingOptions options;
            try
            {
                options = TrainingConfigLoader.Load(parse.GetValue(config)?.FullName, parse.GetValue(set) ?? []);
            }
            catch (ConfigurationException e)
            {
                Console.Error.WriteLine($"Invalid configuration:{Environment.NewLine}{e.Message}");
                return ExitCode.InvalidConfiguration;
            }
            Leap.Security.ClientSecurity security;
            try
            {
                security = Leap.Security.ClientSecurity.FromEnvironment(requireToken: true);
            }
            catch (Microsoft.Extensions.Options.OptionsValidationException e)
            {
                Console.Error.WriteLine($"Invalid configuration:{Environment.NewLine}{string.Join(Environment.NewLine, e.Failures)}");
                return ExitCode.InvalidConfiguration;
            }
            if (options.BatchSize % parse.GetValue(world) != 0)
            {
                Console.Error.WriteLine($"Training:BatchSize = {options.BatchSize} (the global batch) must be divisible by --world-size {parse.GetValue(world)}.");
                return ExitCode.InvalidConfiguration;
            }
            if (parse.GetValue(metricsPort) is < 0 or > System.Net.IPEndPoint.MaxPort || (parse.GetValue(metricsPort) != 0 && parse.GetValue(metricsPort) == parse.GetValue(port)))
            {
                Console.Error.WriteLine($"--metrics-port = {parse.GetValue(metricsPort)} must be 0 (off) or a port in [1, {System.Net.IPEndPoint.MaxPort}] other than --peer-port.");
                return ExitCode.InvalidConfiguration;
            }
            Directory.CreateDirectory(options.OutputDirectory);
            var settings = new WorkerSettings(parse.GetValue(coordinator)!, parse.GetValue(job)!, parse.GetValue(world), parse.GetValue(host)!, parse.GetValue(port),
                parse.GetValue(rank), parse.GetValue(centre), parse.GetValue(transport), security, parse.GetValue(metricsPort));
            string logName = settings.RequestedRank is int r ? $"worker-rank{r}.log" : $"worker-{Environment.MachineName}-{settings.PeerPort}.log";
            using var serilog = LoggingSetup.Create(Path.Combine(options.OutputDirectory, logName), console: true);
            using var loggers = new SerilogLoggerFactory(serilog);
            IntraOpThreads.Apply(options.Threads, loggers.CreateLogger(typeof(IntraOpThreads).FullName!));
            try
            {
                var result = await new WorkerRun(options, settings, loggers).RunAsync(cancellation).ConfigureAwait(false);
                if (result.Summary is not null)
                {
                    EvaluationJson.Write(Path.Combine(options.OutputDirectory, "evaluation.json"), result.Summary);
                    EvaluationTable.Write(AnsiConsole.Console, result.Summary, result.Title);
                }
                return result.Outcome == WorkerOutcome.Interrupted ? ExitCode.Interrupted : ExitCode.Completed;
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                return ExitCode.Interrupted;
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                // A data or evaluation set that is not there: restarting cannot help.
                serilog.Error("Invalid configuration: {Reason}", e.Message);
                return ExitCode.InvalidConfiguration;
            }
            catch (Exception e) when (RestartableFailure.Is(e))
            {
                serilog.Warning("Worker left its generation ({Reason}); exiting with {ExitCode} so it is restarted and resumes from the last committed checkpoint",
                    e.Message, ExitCode.Restartable);
                return ExitCode.Restartable;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                serilog.Error(e, "Worker failed");
                return ExitCode.Failed;
            }
        });
        return command;
    }
}
