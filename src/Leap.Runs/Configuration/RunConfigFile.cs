using System.Text.Json;
using System.Text.Json.Serialization;
using Leap.Training.Configuration;

namespace Leap.Runs.Configuration;

/// <summary>
/// The resolved configuration of a run, <c>config.json</c> in its output directory (<c>{"Training": {...}}</c>, enums by
/// name): written by <c>leap train</c> and <c>leap launch</c>, read back by <c>leap eval</c> and <c>leap report</c> through
/// <see cref="TrainingConfigLoader"/> (so it is validated like any configuration file).
/// </summary>
public static class RunConfigFile
{
    public const string FileName = "config.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Save(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string path = Path.Combine(options.OutputDirectory, FileName);
        File.WriteAllText(path, JsonSerializer.Serialize(new Dictionary<string, TrainingOptions> { [TrainingOptions.SectionName] = options }, Json));
        return path;
    }

    /// <summary>
    /// The options of the run in <paramref name="runDirectory"/> from <paramref name="configPath"/> (default: its
    /// config.json), with OutputDirectory set to the run directory (so a moved run still finds its checkpoints).
    /// </summary>
    /// <exception cref="ConfigurationException">No configuration file, or an invalid one.</exception>
    public static TrainingOptions Load(string runDirectory, string? configPath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(runDirectory);
        string path = configPath ?? Path.Combine(runDirectory, FileName);
        if (!File.Exists(path))
        {
            throw new ConfigurationException(configPath is null
                ? $"Run directory '{runDirectory}' has no {FileName} (written by leap train and leap launch); pass the run's configuration with --config."
                : $"Configuration file '{configPath}' does not exist.");
        }
        return TrainingConfigLoader.Load(path, [$"OutputDirectory={Path.GetFullPath(runDirectory)}"]);
    }
}
