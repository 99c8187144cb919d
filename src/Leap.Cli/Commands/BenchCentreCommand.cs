using System.CommandLine;
using System.Globalization;
using Grpc.Core;
using Leap.Benchmarks.CentreLoad;
using Leap.CentreService.Client;
using Leap.Cli.Configuration;
using Leap.Cli.Hosting;
using Leap.Launch;
using Leap.Runs.Configuration;
using Leap.Security;
using Microsoft.Extensions.Options;

namespace Leap.Cli.Commands;

/// <summary>
/// <c>leap bench centre --clients 8 --duration 20s [--service HOST:PORT]</c>: N clients push to the centre service
/// back to back (<see cref="CentreServiceLoadBenchmark"/>, by default the paper's &lt;H5K,T20K&gt; face layout, D = 512,
/// 512 rows per push). Without --service it starts the service in-process on a free loopback port (state in a temporary
/// directory, removed afterwards, with a token of its own). With --service, calls carry the token of LEAP_AUTH_TOKEN or
/// LEAP_AUTH_TOKEN_FILE. Prints pushes/s, p50 and p99 and writes docs/bench/centre-load.json.
/// </summary>
public static class BenchCentreCommand
{
    private const int HeadSamples = 100;
    private const int TailSamples = 5;
    private const int HeadThreshold = 20;

    public static Command Create()
    {
        var clients = new Option<int>("--clients") { Description = "Concurrent clients, each owning a balanced shard of the classes.", DefaultValueFactory = _ => 8 };
        var duration = new Option<string>("--duration") { Description = "How long to push: 500ms, 20s, 2m or hh:mm:ss.", DefaultValueFactory = _ => "20s" };
        var service = new Option<string?>("--service") { Description = "A running centre service (HOST:PORT); default: one started in-process." };
        var head = new Option<int>("--head-classes") { Description = $"Head classes (K_i = {HeadSamples}).", DefaultValueFactory = _ => 5000 };
        var tail = new Option<int>("--tail-classes") { Description = $"Tail classes (K_i = {TailSamples}).", DefaultValueFactory = _ => 20000 };
        var dimension = new Option<int>("--dimension") { Description = "Feature dimension D.", DefaultValueFactory = _ => 512 };
        var rows = new Option<int>("--rows") { Description = "Feature rows per push (float32).", DefaultValueFactory = _ => 512 };
        var set = new Option<string[]>("--set") { Description = "CentreService:Key=Value for the in-process service (repeatable)." };
        var output = new Option<FileInfo?>("--out") { Description = $"JSON result (default {CentreLoadBenchReport.DefaultPath}; with --service-cpus {PinnedCentreLoad.DefaultPath})." };
        var serviceCpus = new Option<string?>("--service-cpus")
        {
            Description = "Run the service as its own process pinned to these CPUs (e.g. 1) and the clients pinned to the others (taskset).",
        };
        var interval = new Option<string>("--interval")
        {
            Description = "Time between one client's pushes on a fixed schedule (e.g. 500ms: a push per refresh of 5 steps of 100 ms); 0 = back to back.",
            DefaultValueFactory = _ => "0",
        };
        var placement = new Option<string?>("--placement") { Description = "Where the service and clients ran (recorded in the JSON; set by --service-cpus).", Hidden = true };
        var command = new Command("centre", "Push throughput and latency of the centre service under N concurrent clients.")
        {
            clients, duration, service, head, tail, dimension, rows, set, output, serviceCpus, interval, placement,
        };
        command.SetAction((parse, cancellation) =>
        {
            if (!DurationText.TryParse(parse.GetValue(duration), out var length) || length <= TimeSpan.Zero)
            {
                return Task.FromResult(Invalid($"--duration expects e.g. 500ms, 20s, 2m or 00:00:20 (positive), got '{parse.GetValue(duration)}'."));
            }
            string intervalText = parse.GetValue(interval)!;
            TimeSpan pace = TimeSpan.Zero;
            if (intervalText != "0" && (!DurationText.TryParse(intervalText, out pace) || pace < TimeSpan.Zero))
            {
                return Task.FromResult(Invalid($"--interval expects 0 or e.g. 500ms, 1s (not negative), got '{intervalText}'."));
            }
            var shape = new CentreLoadShape(parse.GetValue(clients), length, parse.GetValue(head), HeadSamples, parse.GetValue(tail), TailSamples,
                parse.GetValue(dimension), parse.GetValue(rows), pace);
            if (Problem(shape) is { } problem)
            {
                return Task.FromResult(Invalid(problem));
            }
            CentreServiceAddress? address = null;
            if (parse.GetValue(service) is { } text && !CentreServiceAddress.TryParse(text, out address, out string addressProblem))
            {
                return Task.FromResult(Invalid($"--service: {addressProblem}"));
            }
            if (parse.GetValue(serviceCpus) is { } cpus)
            {
                if (address is not null)
                {
                    return Task.FromResult(Invalid("--service-cpus starts its own service; leave out --service."));
                }
                var (serviceSet, clientSet, cpuProblem) = PinnedCentreLoad.Plan(cpus, Environment.ProcessorCount);
                if (cpuProblem is not null)
                {
                    return Task.FromResult(Invalid(cpuProblem));
                }
                string I(long v) => v.ToString(CultureInfo.InvariantCulture);
                string[] load =
                [
                    "--clients", I(shape.Clients), "--duration", parse.GetValue(duration)!, "--head-classes", I(shape.HeadClasses),
                    "--tail-classes", I(shape.TailClasses), "--dimension", I(shape.Dimension), "--rows", I(shape.FeaturesPerPush),
                    "--interval", intervalText,
                ];
                string pinnedPath = parse.GetValue(output)?.FullName ?? Path.GetFullPath(PinnedCentreLoad.DefaultPath);
                return PinnedCentreLoad.RunAsync(serviceSet, clientSet, parse.GetValue(set) ?? [], load, pinnedPath, cancellation);
            }
            string path = parse.GetValue(output)?.FullName ?? Path.GetFullPath(CentreLoadBenchReport.DefaultPath);
            string where = parse.GetValue(placement) ?? "service in-process with the clients, on every CPU";
            if (address is null)
            {
                return RunInProcessAsync(shape, parse.GetValue(set) ?? [], path, where, cancellation);
            }
            ClientSecurity security;
            try
            {
                security = ClientSecurity.FromEnvironment();
            }
            catch (OptionsValidationException e)
            {
                return Task.FromResult(Invalid(string.Join(Environment.NewLine, e.Failures)));
            }
            return RunAsync(shape, address.Uri.ToString(), address.Text, security, path, parse.GetValue(placement) ?? "a running service; placement not recorded", cancellation);
        });
        return command;
    }

    private static async Task<int> RunInProcessAsync(CentreLoadShape shape, string[] overrides, string path, string placement, CancellationToken cancellation)
    {
        string state = Path.Combine(Path.GetTempPath(), "leap-bench-centre-" + Guid.NewGuid().ToString("N"));
        try
        {
            Microsoft.AspNetCore.Builder.WebApplication app;
            string token = SharedToken.Generate();
            try
            {
                app = CentreServiceHost.Build("127.0.0.1", 0, [$"CentreService:StateDirectory={state}", .. overrides], token);
            }
            catch (ConfigurationException e)
            {
                return Invalid(e.Message);
            }
            await using (app.ConfigureAwait(false))
            {
                await app.StartAsync(cancellation).ConfigureAwait(false);
                string address = CentreServiceHost.Addresses(app).Single();
                int code = await RunAsync(shape, address, $"in-process ({address})", new ClientSecurity(SharedToken.From(token)), path, placement, cancellation)
                    .ConfigureAwait(false);
                if (code == ExitCode.Completed)
                {
                    var registry = app.Services.GetService(typeof(Prometheus.CollectorRegistry)) as Prometheus.CollectorRegistry ?? Prometheus.Metrics.DefaultRegistry;
                    var server = await ServerPushLatency.FromRegistryAsync(registry, cancellation).ConfigureAwait(false);
                    var report = CentreLoadBenchReport.Read(path).WithServer(server);
                    report.Write(path);
                    Console.WriteLine(report.Summary());
                }
                await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
                return code;
            }
        }
        finally
        {
            if (Directory.Exists(state))
            {
                Directory.Delete(state, recursive: true);
            }
        }
    }

    private static async Task<int> RunAsync(CentreLoadShape shape, string address, string service, ClientSecurity security, string path,
        string placement, CancellationToken cancellation)
    {
        string I(long v) => v.ToString(CultureInfo.InvariantCulture);
        Console.WriteLine($"bench centre: {I(shape.Clients)} clients for {shape.Duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s against {service}; " +
            $"{I(shape.HeadClasses)} head (K={I(shape.HeadSamples)}) + {I(shape.TailClasses)} tail (K={I(shape.TailSamples)}) classes, " +
            $"D={I(shape.Dimension)}, {I(shape.FeaturesPerPush)} rows per push");
        var started = DateTimeOffset.UtcNow;
        double? load = CentreLoadBenchReport.CurrentLoadAverage();
        CentreLoadBenchmarkResult result;
        try
        {
            result = await CentreServiceLoadBenchmark.RunAsync(address, shape.Clients, shape.HeadClasses, shape.HeadSamples, shape.TailClasses,
                shape.TailSamples, shape.Dimension, shape.FeaturesPerPush, shape.Duration, HeadThreshold, initialise: true,
                security: security, pushInterval: shape.PushInterval, cancellationToken: cancellation).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            Console.Error.WriteLine($"error: the centre service at {service} failed the benchmark ({e.StatusCode}): {e.Status.DebugException?.Message ?? e.Status.Detail}");
            return ExitCode.Failed;
        }
        var report = CentreLoadBenchReport.From(result, shape, service, load, started) with { Placement = placement };
        Console.WriteLine(report.Summary());
        report.Write(path);
        Console.WriteLine($"wrote {path}");
        return result.Pushes > 0 ? ExitCode.Completed : ExitCode.Failed;
    }

    private static string? Problem(CentreLoadShape shape)
    {
        var problems = new List<string>();
        if (shape.Clients is < 1 or > 1024)
        {
            problems.Add($"--clients must be between 1 and 1024 (was {shape.Clients}).");
        }
        if (shape.HeadClasses < 0 || shape.TailClasses < 0 || (long)shape.HeadClasses + shape.TailClasses < shape.Clients)
        {
            problems.Add("--head-classes and --tail-classes must be >= 0 and give at least one class per client.");
        }
        if (shape.Dimension is < 1 or > Leap.CentreService.CentreLayout.MaxDimension)
        {
            problems.Add($"--dimension must be between 1 and {Leap.CentreService.CentreLayout.MaxDimension} (was {shape.Dimension}).");
        }
        if (shape.FeaturesPerPush < 1)
        {
            problems.Add($"--rows must be >= 1 (was {shape.FeaturesPerPush}).");
        }
        return problems.Count == 0 ? null : string.Join(Environment.NewLine, problems);
    }

    private static int Invalid(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return ExitCode.InvalidConfiguration;
    }
}
