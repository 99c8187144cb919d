using System.CommandLine;
using System.Globalization;
using Grpc.Core;
using Leap.CentreService.Client;
using Leap.Cli.Hosting;
using Leap.Cli.Rendering;
using Leap.Launch;
using Leap.Security;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Leap.Cli.Commands;

/// <summary>
/// <c>leap stats --service HOST:PORT [--class ID ...] [--json] [--watch]</c>: the centre service's summary (head/tail,
/// sigma^2, variant, cloud classes, sigma_i^2 histogram) or per-class statistics, as tables or JSON, once or live.
/// Calls carry the shared token of LEAP_AUTH_TOKEN or LEAP_AUTH_TOKEN_FILE (https:// addresses trust LEAP_Tls__CaFile).
/// Exit codes: 0; 1 when the service cannot be reached within --timeout, refuses the token or fails; 2 for invalid
/// arguments or token settings, including class ids the service does not hold.
/// </summary>
public static class StatsCommand
{
    public static Command Create()
    {
        var service = new Option<string>("--service") { Description = "Centre service HOST:PORT (or http://HOST:PORT).", Required = true };
        var classes = new Option<int[]>("--class") { Description = "Show these class ids (repeatable); without it: the summary." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of tables (with --watch: one document per line)." };
        var watch = new Option<bool>("--watch") { Description = "Subscribe to the service's summaries and redraw live until Ctrl-C." };
        var bins = new Option<int>("--bins") { Description = "sigma_i^2 histogram bins (0 = the service's default).", DefaultValueFactory = _ => 0 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for the service (connect and each query).", DefaultValueFactory = _ => 10 };
        var command = new Command("stats", "Show the centre service's statistics: the summary and sigma_i^2 histogram, or per-class statistics.")
        {
            service, classes, json, watch, bins, timeout,
        };
        command.SetAction((parse, cancellation) => RunAsync(
            parse.GetValue(service)!, parse.GetValue(classes) ?? [], parse.GetValue(json), parse.GetValue(watch), parse.GetValue(bins),
            parse.GetValue(timeout), cancellation));
        return command;
    }

    private static async Task<int> RunAsync(string service, int[] classIds, bool json, bool watch, int bins, double timeoutSeconds,
        CancellationToken cancellation)
    {
        if (!CentreServiceAddress.TryParse(service, out var address, out string problem))
        {
            return Invalid($"--service: {problem}");
        }
        if (bins is < 0 or > Leap.CentreService.CentreServiceOptionsValidator.MaxHistogramBins)
        {
            return Invalid($"--bins must be between 0 and {Leap.CentreService.CentreServiceOptionsValidator.MaxHistogramBins} (was {bins}).");
        }
        if (!(timeoutSeconds is > 0 and <= 3600))
        {
            return Invalid($"--timeout must be between 0 and 3600 seconds (was {timeoutSeconds}).");
        }
        var timeout = TimeSpan.FromSeconds(timeoutSeconds);
        ClientSecurity security;
        try
        {
            security = ClientSecurity.FromEnvironment();
        }
        catch (OptionsValidationException e)
        {
            return Invalid(string.Join(Environment.NewLine, e.Failures));
        }
        using var connection = new CentreServiceConnection(address, timeout, security);
        var query = new CentreStatsQuery(connection.Client, address.Text, classIds, bins);
        try
        {
            if (watch)
            {
                string why = await CentreStatsWatch.RunAsync(connection.Client, query, json, cancellation).ConfigureAwait(false);
                Console.Error.WriteLine($"error: the centre service at {address} stopped answering ({why}).");
                return ExitCode.Failed;
            }
            var stats = await query.FetchAsync(null, cancellation).ConfigureAwait(false);
            if (json)
            {
                Console.Out.WriteLine(query.Json(stats, indented: true));
            }
            else
            {
                AnsiConsole.Write(query.Render(stats));
            }
            return ExitCode.Completed;
        }
        catch (Exception e) when (cancellation.IsCancellationRequested && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            return ExitCode.Completed; // Ctrl-C: the normal end of --watch
        }
        catch (RpcException e)
        {
            return Failed(address, timeout, e);
        }
    }

    private static int Failed(CentreServiceAddress address, TimeSpan timeout, RpcException e)
    {
        string seconds = timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        switch (e.StatusCode)
        {
            case StatusCode.Unavailable:
                Console.Error.WriteLine($"error: cannot reach the centre service at {address}: {e.Status.DebugException?.Message ?? e.Status.Detail}");
                return ExitCode.Failed;
            case StatusCode.DeadlineExceeded:
                Console.Error.WriteLine($"error: the centre service at {address} did not answer within {seconds} s (--timeout).");
                return ExitCode.Failed;
            case StatusCode.InvalidArgument:
                return Invalid(e.Status.Detail);
            case StatusCode.Unauthenticated or StatusCode.PermissionDenied:
                Console.Error.WriteLine($"error: the centre service at {address} refused the call ({e.StatusCode}): {e.Status.Detail} " +
                    $"Set {AuthEnvironment.Token} or {AuthEnvironment.TokenFile} to the job's token.");
                return ExitCode.Failed;
            default:
                Console.Error.WriteLine($"error: the centre service at {address} answered {e.StatusCode}: {e.Status.Detail}");
                return ExitCode.Failed;
        }
    }

    private static int Invalid(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return ExitCode.InvalidConfiguration;
    }
}
