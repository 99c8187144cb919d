using System.Text.Json;
using System.Text.Json.Serialization;

namespace Leap.Benchmarks.DataLoader;

/// <summary>docs/bench/data-loader.json: what `leap bench data` measured (loaders per data set, then the training run's data wait).</summary>
public sealed record DataBenchReport(
    [property: JsonPropertyName("started_utc")] DateTimeOffset StartedUtc,
    [property: JsonPropertyName("load_average_1m")] double LoadAverage,
    [property: JsonPropertyName("load_average_1m_end")] double LoadAverageEnd,
    [property: JsonPropertyName("processor_count")] int ProcessorCount,
    [property: JsonPropertyName("command")] string Command,
    [property: JsonPropertyName("sets")] IReadOnlyList<DataLoaderComparison> Sets,
    [property: JsonPropertyName("training")] DataWaitResult? Training)
{
    public const string FileName = "data-loader.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string DefaultPath => Path.Combine("docs", "bench", FileName);

    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + Environment.NewLine);
    }
}
