using Serilog;
using Serilog.Core;

namespace Leap.Cli;

/// <summary>The only place Serilog is configured: a log file per run, the console unless a progress bar owns it.</summary>
public static class LoggingSetup
{
    public static Logger Create(string file, bool console)
    {
        var config = new LoggerConfiguration()
            .MinimumLevel.Information()
            .Enrich.FromLogContext()
            .WriteTo.File(file, outputTemplate: "{Timestamp:O} [{Level:u3}] {SourceContext} {Message:lj}{NewLine}{Exception}");
        if (console)
        {
            config = config.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}", standardErrorFromLevel: Serilog.Events.LogEventLevel.Warning);
        }
        return config.CreateLogger();
    }
}
