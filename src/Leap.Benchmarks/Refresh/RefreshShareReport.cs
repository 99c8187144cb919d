using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Leap.Benchmarks.Refresh;

/// <summary>
/// docs/bench/refresh-lag{L}.json: the share of a training step spent in the centre refresh (the
/// <c>CentreRefreshHook</c> with the centre service as sink) at one Leap:RefreshLag.
/// </summary>
public sealed record RefreshShareReport(
    [property: JsonPropertyName("lag")] int Lag,
    [property: JsonPropertyName("refresh_interval")] int RefreshInterval,
    [property: JsonPropertyName("backbone")] string Backbone,
    [property: JsonPropertyName("batch")] int Batch,
    [property: JsonPropertyName("image")] int Image,
    [property: JsonPropertyName("classes")] int Classes,
    [property: JsonPropertyName("dimension")] int Dimension,
    [property: JsonPropertyName("warmup_steps")] int WarmupSteps,
    [property: JsonPropertyName("timed_steps")] int TimedSteps,
    [property: JsonPropertyName("mean_step_ms")] double MeanStepMilliseconds,
    [property: JsonPropertyName("mean_refresh_ms")] double MeanRefreshMilliseconds,
    [property: JsonPropertyName("refresh_share")] double RefreshShare,
    [property: JsonPropertyName("pushes")] long Pushes,
    [property: JsonPropertyName("processor_count")] int ProcessorCount,
    [property: JsonPropertyName("load_average_1m")] double? LoadAverage,
    [property: JsonPropertyName("started_utc")] DateTimeOffset StartedUtc)
{
    public const string FilePattern = "refresh-lag*.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string DefaultPath(int lag) => Path.Combine("docs", "bench", $"refresh-lag{lag}.json");

    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + Environment.NewLine);
    }

    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"lag {Lag}: step {MeanStepMilliseconds:0.0} ms (training + refresh), refresh {MeanRefreshMilliseconds:0.00} ms = {RefreshShare * 100:0.00} % of the step, {Pushes} pushes");
}
