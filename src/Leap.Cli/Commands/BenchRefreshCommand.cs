using System.CommandLine;
using Leap.Benchmarks.CentreLoad;
using Leap.Benchmarks.Refresh;
using Leap.CentreService.Client;
using Leap.Cli.Hosting;
using Leap.Launch;
using Leap.Security;

namespace Leap.Cli.Commands;

/// <summary>
/// <c>leap bench refresh --lag 0 1 [--steps 40]</c>: the share of a training step spent in the centre refresh, with the
/// centre service started in-process on a free loopback port (fresh state per lag, removed afterwards), one worker
/// (<see cref="RefreshShareProbe"/>). Writes docs/bench/refresh-lag{L}.json per lag.
/// </summary>
public static class BenchRefreshCommand
{
    public static Command Create()
    {
        var lags = new Option<int[]>("--lag") { Description = "Leap:RefreshLag values to measure (0, 1).", DefaultValueFactory = _ => [0, 1], AllowMultipleArgumentsPerToken = true };
        var steps = new Option<int>("--steps") { Description = "Timed steps per lag (after 5 warm-up steps).", DefaultValueFactory = _ => 40 };
        var directory = new Option<DirectoryInfo?>("--out-dir") { Description = "Where refresh-lag{L}.json go (default docs/bench)." };
        var command = new Command("refresh", "Share of the training step spent in the centre refresh (centre service) at Leap:RefreshLag 0 and 1.") { lags, steps, directory };
        command.SetAction((parse, cancellation) =>
        {
            int[] values = parse.GetValue(lags) ?? [0, 1];
            if (values.Length == 0 || values.Any(l => l is not (0 or 1)))
            {
                Console.Error.WriteLine($"error: --lag takes 0 and/or 1 (got {string.Join(' ', values)}).");
                return Task.FromResult(ExitCode.InvalidConfiguration);
            }
            if (parse.GetValue(steps) is < 1 or > 100_000)
            {
                Console.Error.WriteLine($"error: --steps must be between 1 and 100000 (was {parse.GetValue(steps)}).");
                return Task.FromResult(ExitCode.InvalidConfiguration);
            }
            string outDir = parse.GetValue(directory)?.FullName ?? Path.GetFullPath(Path.Combine("docs", "bench"));
            return RunAsync(values, new RefreshShareSettings(TimedSteps: parse.GetValue(steps)), outDir, cancellation);
        });
        return command;
    }

    private static async Task<int> RunAsync(int[] lags, RefreshShareSettings settings, string outDir, CancellationToken cancellation)
    {
        foreach (int lag in lags)
        {
            string state = Path.Combine(Path.GetTempPath(), "leap-bench-refresh-" + Guid.NewGuid().ToString("N"));
            try
            {
                string token = SharedToken.Generate();
                var app = CentreServiceHost.Build("127.0.0.1", 0, [$"CentreService:StateDirectory={state}"], token);
                await using (app.ConfigureAwait(false))
                {
                    await app.StartAsync(cancellation).ConfigureAwait(false);
                    var security = new ClientSecurity(SharedToken.From(token));
                    using var channel = security.CreateChannel(new Uri(CentreServiceHost.Addresses(app).Single()), GrpcMessageLimits.CentreService);
                    var client = new CentreServiceClient(security.CallInvoker(channel));
                    double? load = CentreLoadBenchReport.CurrentLoadAverage();
                    var report = await Task.Run(() => new RefreshShareProbe(settings).Run(client, state, lag, load), cancellation).ConfigureAwait(false);
                    Console.WriteLine(report.Summary());
                    string path = Path.Combine(outDir, Path.GetFileName(RefreshShareReport.DefaultPath(lag)));
                    report.Write(path);
                    Console.WriteLine($"wrote {path}");
                    await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
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
        return ExitCode.Completed;
    }
}
