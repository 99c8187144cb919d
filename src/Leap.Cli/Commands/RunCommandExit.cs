using Leap.Launch;
using Leap.Runs.Configuration;

namespace Leap.Cli.Commands;

/// <summary>
/// The exit codes shared by the commands that reopen a run (<c>leap eval</c>, <c>leap report</c>): 2 with the message
/// for a missing or invalid run directory or configuration (a data or evaluation set path that does not exist included), 1 for an I/O, data or checkpoint error.
/// </summary>
public static class RunCommandExit
{
    public static int Guard(Func<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return body();
        }
        catch (ConfigurationException e)
        {
            Console.Error.WriteLine($"Invalid run or configuration:{Environment.NewLine}{e.Message}");
            return ExitCode.InvalidConfiguration;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // A data set, evaluation set or run file that is not there: the configuration names something missing.
            Console.Error.WriteLine($"Invalid configuration: {e.Message}");
            return ExitCode.InvalidConfiguration;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException or ArgumentException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCode.Failed;
        }
    }
}
