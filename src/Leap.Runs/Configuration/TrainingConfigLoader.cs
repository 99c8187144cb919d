using Leap.Training.Configuration;
using Microsoft.Extensions.Configuration;

namespace Leap.Runs.Configuration;

/// <summary>
/// Binds <see cref="TrainingOptions"/> from, in increasing precedence: built-in defaults, a JSON file
/// ({"Training": {...}}), environment variables LEAP_TRAINING__SECTION__KEY, and <c>--set Key=Value</c>
/// (keys relative to "Training", ':' or '.' separated). Unknown keys and bad values fail with the key's name.
/// </summary>
public static class TrainingConfigLoader
{
    public const string EnvironmentPrefix = "LEAP_";

    public static TrainingOptions Load(string? jsonPath, IEnumerable<string> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var builder = new ConfigurationBuilder();
        if (jsonPath is not null)
        {
            if (!File.Exists(jsonPath))
            {
                throw new ConfigurationException($"Configuration file '{jsonPath}' does not exist.");
            }
            builder.AddJsonFile(Path.GetFullPath(jsonPath), optional: false);
        }
        builder.AddEnvironmentVariables(EnvironmentPrefix);
        builder.AddInMemoryCollection(ParseOverrides(overrides));
        IConfigurationRoot config;
        try
        {
            config = builder.Build();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException)
        {
            throw new ConfigurationException($"Configuration file '{jsonPath}' is not valid JSON: {e.Message}");
        }

        var errors = new List<string>();
        if (jsonPath is not null)
        {
            // Only the file's top level is checked: other LEAP_* environment variables belong to other components.
            var fileOnly = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(jsonPath), optional: false).Build();
            errors.AddRange(fileOnly.GetChildren()
                .Where(top => !top.Key.Equals(TrainingOptions.SectionName, StringComparison.OrdinalIgnoreCase))
                .Select(top => $"Unknown configuration key '{top.Path}' (expected a single top-level \"{TrainingOptions.SectionName}\" section)."));
        }
        var section = config.GetSection(TrainingOptions.SectionName);
        errors.AddRange(ConfigurationKeyCheck.UnknownKeys(section, typeof(TrainingOptions)).Select(k => $"Unknown configuration key '{k}'."));
        errors.AddRange(ConfigurationEnumCheck.InvalidValues(section, typeof(TrainingOptions)));
        if (errors.Count > 0)
        {
            throw new ConfigurationException(string.Join(Environment.NewLine, errors));
        }

        var options = new TrainingOptions();
        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new ConfigurationException(e.Message);
        }
        var invalid = TrainingOptionsValidator.Validate(options);
        if (invalid.Count > 0)
        {
            throw new ConfigurationException(string.Join(Environment.NewLine, invalid));
        }
        return options;
    }

    private static Dictionary<string, string?> ParseOverrides(IEnumerable<string> overrides)
    {
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (string item in overrides)
        {
            int eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new ConfigurationException($"--set expects Key=Value, got '{item}'.");
            }
            string key = item[..eq].Trim().Replace('.', ':');
            if (!key.StartsWith(TrainingOptions.SectionName + ":", StringComparison.OrdinalIgnoreCase))
            {
                key = TrainingOptions.SectionName + ":" + key;
            }
            result[key] = item[(eq + 1)..].Trim();
        }
        return result;
    }
}
