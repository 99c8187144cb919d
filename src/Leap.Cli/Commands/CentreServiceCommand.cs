using System.CommandLine;
using Leap.Cli.Hosting;
using Leap.Launch;
using Leap.Runs.Configuration;
using Microsoft.Extensions.Hosting;

namespace Leap.Cli.Commands;

/// <summary>
/// <c>leap centre-service --port P [--listen ADDR] [--set CentreService:Key=Value ...]</c>: the class-centre /
/// angle-memory service (gRPC). Prints <see cref="CentreServiceHost.ListeningMarker"/> and the address once it
/// accepts calls. Exit codes: 0 after Ctrl-C / SIGTERM, 2 for invalid options or configuration (each message names
/// the key), 1 when it cannot listen or start.
/// </summary>
public static class CentreServiceCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "TCP port (HTTP/2); 0 picks a free one.", DefaultValueFactory = _ => 5300 };
        var listen = new Option<string>("--listen") { Description = "Address to bind (127.0.0.1, or * for all).", DefaultValueFactory = _ => "127.0.0.1" };
        var set = new Option<string[]>("--set") { Description = "CentreService:Key=Value override (repeatable), e.g. CentreService:StateDirectory=/runs/centre; Metrics:Port=P serves Prometheus /metrics over HTTP/1.1 on P (0 = off)." };
        var command = new Command("centre-service", "Run the class-centre / angle-memory service: centres, angle memory and cloud statistics of all classes.")
        {
            port, listen, set,
        };
        command.SetAction((parse, cancellation) => RunAsync(parse.GetValue(listen)!, parse.GetValue(port), parse.GetValue(set) ?? [], cancellation));
        return command;
    }

    private static async Task<int> RunAsync(string listen, int port, string[] overrides, CancellationToken cancellation)
    {
        Microsoft.AspNetCore.Builder.WebApplication app;
        try
        {
            app = CentreServiceHost.Build(listen, port, overrides);
        }
        catch (ConfigurationException e)
        {
            Console.Error.WriteLine($"Invalid configuration:{Environment.NewLine}{e.Message}");
            return ExitCode.InvalidConfiguration;
        }
        await using (app.ConfigureAwait(false))
        {
            try
            {
                await app.StartAsync(cancellation).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or InvalidOperationException)
            {
                // Port in use, unreadable state directory, stored layout different from the configured one.
                Console.Error.WriteLine($"error: the centre service cannot start on {listen}:{port}: {e.Message}");
                return ExitCode.Failed;
            }
            foreach (string address in CentreServiceHost.Addresses(app))
            {
                Console.Out.WriteLine(CentreServiceHost.ListeningMarker + address);
            }
            Console.Out.Flush();
            await app.WaitForShutdownAsync(cancellation).ConfigureAwait(false);
            return ExitCode.Completed;
        }
    }
}
