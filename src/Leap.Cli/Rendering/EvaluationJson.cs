using System.Text.Json;
using System.Text.Json.Serialization;
using Leap.Training.Engine;

namespace Leap.Cli.Rendering;

/// <summary>An <see cref="EvaluationSummary"/> as indented JSON (NaN written as "NaN"), the format of evaluation.json.</summary>
public static class EvaluationJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Write(string path, EvaluationSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        File.WriteAllText(path, JsonSerializer.Serialize(summary, Options));
    }
}
