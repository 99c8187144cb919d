using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Leap.Runs.Configuration;
using Leap.Training.Configuration;

namespace Leap.Runs;

/// <summary>
/// A run directory belongs to one configuration. Resuming it (<c>Checkpoint:Resume=true</c>, the default) with a
/// configuration that changes what is trained — data, split, model, loss, LEAP, augmentation, optimiser, schedule, seed,
/// batch — would continue one model under another's name (its config.json overwritten, evaluations mislabelled), so it
/// is refused with the differing keys named. Operational keys may change: where and how long it runs, threads,
/// logging, checkpoint cadence, evaluation sets, decode threads.
/// </summary>
public static class ResumedRunConfiguration
{
    /// <summary>Keys (and key prefixes, under <c>Training:</c>) a resumed run may change.</summary>
    public static readonly IReadOnlyList<string> OperationalKeys =
    [
        "OutputDirectory", "Steps", "Threads", "LogEverySteps", "MaxNonFiniteSteps", "Device", "Checkpoint", "Evaluation",
        "Data:DecodeThreads", "Data:PrefetchBatches", "Data:OnCorruptImage", "Model:PretrainedPath",
    ];

    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    /// <summary>
    /// Null when <paramref name="requested"/> may run in its output directory: no earlier run's checkpoints there, no
    /// config.json beside them, or the same configuration up to operational keys. Otherwise the message refusing it.
    /// </summary>
    public static string? Refusal(TrainingOptions requested)
    {
        ArgumentNullException.ThrowIfNull(requested);
        string directory = requested.OutputDirectory;
        string checkpoints = Path.Combine(directory, "checkpoints");
        if (!requested.Checkpoint.Resume || !Directory.Exists(checkpoints) || !Directory.EnumerateFileSystemEntries(checkpoints).Any()
            || !File.Exists(Path.Combine(directory, RunConfigFile.FileName)))
        {
            return null;
        }

        TrainingOptions saved;
        try
        {
            saved = RunConfigFile.Load(directory);
        }
        catch (ConfigurationException e)
        {
            return $"{directory} holds a run whose {RunConfigFile.FileName} cannot be read ({e.Message}); resuming it could mix two configurations. " + WayOut;
        }

        IReadOnlyList<string> differences = Differences(saved, requested);
        return differences.Count == 0
            ? null
            : $"{directory} holds a run of another configuration; resuming it with this one would mix the two. Differing keys: {string.Join(", ", differences)}. " + WayOut;
    }

    private const string WayOut =
        "Give the new run its own Training:OutputDirectory, or --set Checkpoint:Resume=false to start fresh there (the old run is moved to previous-<time>/, nothing is deleted).";

    /// <summary>"Training:Key (old -> new)" for every non-operational key whose value differs, in key order.</summary>
    public static IReadOnlyList<string> Differences(TrainingOptions saved, TrainingOptions requested)
    {
        ArgumentNullException.ThrowIfNull(saved);
        ArgumentNullException.ThrowIfNull(requested);
        var before = Flatten(saved);
        var after = Flatten(requested);
        return before.Keys.Union(after.Keys).Where(k => !IsOperational(k)).Order(StringComparer.Ordinal)
            .Where(k => before.GetValueOrDefault(k) != after.GetValueOrDefault(k))
            .Select(k => $"Training:{k} ({before.GetValueOrDefault(k) ?? "unset"} -> {after.GetValueOrDefault(k) ?? "unset"})")
            .ToArray();
    }

    private static bool IsOperational(string key) =>
        OperationalKeys.Any(k => key == k || key.StartsWith(k + ":", StringComparison.Ordinal));

    private static Dictionary<string, string> Flatten(TrainingOptions options)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        Add(values, "", JsonSerializer.SerializeToElement(options, Json));
        return values;
    }

    private static void Add(Dictionary<string, string> values, string prefix, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    Add(values, prefix.Length == 0 ? property.Name : $"{prefix}:{property.Name}", property.Value);
                }
                break;
            case JsonValueKind.Array:
                int index = 0;
                foreach (JsonElement item in element.EnumerateArray())
                {
                    Add(values, $"{prefix}:{index.ToString(CultureInfo.InvariantCulture)}", item);
                    index++;
                }
                values[$"{prefix}:Count"] = index.ToString(CultureInfo.InvariantCulture);
                break;
            default:
                values[prefix] = element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
                break;
        }
    }
}
