using System.Text.Json;
using System.Text.Json.Serialization;

namespace Leap.Benchmarks.Step;

/// <summary>docs/bench/step-&lt;backbone&gt;.json: our trainer step and PyTorch's, run back to back by `leap bench step`.</summary>
public sealed record StepBenchReport(
    [property: JsonPropertyName("started_utc")] DateTimeOffset StartedUtc,
    [property: JsonPropertyName("load_average_1m")] double LoadAverage,
    [property: JsonPropertyName("processor_count")] int ProcessorCount,
    [property: JsonPropertyName("ours")] StepTiming Ours,
    [property: JsonPropertyName("pytorch")] StepTiming? PyTorch,
    [property: JsonPropertyName("reference")] string Reference)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Our images/s over PyTorch's (target >= 1), or null without the reference.</summary>
    [JsonIgnore]
    public double? Ratio => PyTorch is { ImagesPerSecond: > 0 } torch ? Ours.ImagesPerSecond / torch.ImagesPerSecond : null;

    public static string DefaultPath(string backbone) => Path.Combine("docs", "bench", $"step-{backbone.ToLowerInvariant()}.json");

    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + Environment.NewLine);
    }
}
