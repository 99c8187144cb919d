using System.CommandLine;
using Leap.Cli.Hosting;
using Leap.Coordinator;
using Leap.Launch;
using Leap.Runs.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Leap.Cli.Commands;

/// <summary>
/// <c>leap coordinator --port P [--set Coordinator:WorldSize=N ...]</c>: the job's coordinator (gRPC). Needs the shared
/// token (LEAP_AUTH_TOKEN or LEAP_AUTH_TOKEN_FILE) unless started with <c>--set Auth:Disabled=true</c>; exit code 2 names
/// the missing or invalid key.
/// </summary>
public static class CoordinatorCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "TCP port (HTTP/2).", DefaultValueFactory = _ => 5100 };
        var listen = new Option<string>("--listen") { Description = "Address to bind (127.0.0.1, or * for all).", DefaultValueFactory = _ => "127.0.0.1" };
        var set = new Option<string[]>("--set") { Description = "Coordinator:Key=Value override (repeatable); Metrics:Port=P serves Prometheus /metrics over HTTP/1.1 on P (0 = off)." };
        var command = new Command("coordinator", "Run the coordinator: registration, ranks, heartbeats, barriers, checkpoint commits.") { port, listen, set };
        command.SetAction(async (parse, cancellation) =>
        {
            Microsoft.AspNetCore.Builder.WebApplicationBuilder builder;
            try
            {
                builder = GrpcHostBuilder.Create("coordinator", parse.GetValue(listen)!, parse.GetValue(port), parse.GetValue(set) ?? [], logFile: null);
            }
            catch (Exception e) when (e is ArgumentException or ConfigurationException)
            {
                Console.Error.WriteLine($"Invalid configuration:{Environment.NewLine}{e.Message}");
                return ExitCode.InvalidConfiguration;
            }
            builder.Services.AddCoordinator(builder.Configuration);
            await using var app = builder.Build();
            app.MapCoordinator();
            GrpcHostBuilder.MapMetrics(app, parse.GetValue(port));
            try
            {
                await app.StartAsync(cancellation).ConfigureAwait(false);
                await app.WaitForShutdownAsync(cancellation).ConfigureAwait(false);
                return ExitCode.Completed;
            }
            catch (OptionsValidationException e)
            {
                Console.Error.WriteLine($"Invalid configuration:{Environment.NewLine}{string.Join(Environment.NewLine, e.Failures)}");
                return ExitCode.InvalidConfiguration;
            }
        });
        return command;
    }
}
