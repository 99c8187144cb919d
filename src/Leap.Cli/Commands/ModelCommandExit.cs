using Leap.Launch;
using Leap.Runs.Configuration;
using Leap.Training.Export;

namespace Leap.Cli.Commands;

/// <summary>
/// Exit codes of <c>leap export</c>, <c>leap embed</c> and <c>leap verify</c>: 2 for bad input, with a message naming
/// the file or module (a missing run, checkpoint, model, image or pairs file; an image that does not decode; a pair list
/// naming a missing image; a module the exporter cannot map); 1 for any other I/O error.
/// </summary>
public static class ModelCommandExit
{
    public const int BadInput = 2;

    public static int Guard(Func<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return body();
        }
        catch (Exception e) when (e is ConfigurationException or FileNotFoundException or DirectoryNotFoundException
            or InvalidDataException or UnsupportedModuleException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return BadInput;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCode.Failed;
        }
    }
}
