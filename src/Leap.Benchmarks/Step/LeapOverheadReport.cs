using System.Text.Json;
using System.Text.Json.Serialization;

namespace Leap.Benchmarks.Step;

/// <summary>
/// docs/bench/leap-overhead.json: step times of CosFace, LEAP-CF, ArcFace and LEAP-AF with the same model and batch,
/// measured in interleaved rounds in one process so that a change of machine load hits every method alike.
/// </summary>
public sealed record LeapOverheadReport(
    [property: JsonPropertyName("started_utc")] DateTimeOffset StartedUtc,
    [property: JsonPropertyName("load_average_1m")] double LoadAverage,
    [property: JsonPropertyName("load_average_1m_end")] double LoadAverageEnd,
    [property: JsonPropertyName("processor_count")] int ProcessorCount,
    [property: JsonPropertyName("rounds")] int Rounds,
    [property: JsonPropertyName("methods")] IReadOnlyList<StepTiming> Methods)
{
    public const double TargetOverhead = 0.05;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string DefaultPath => Path.Combine("docs", "bench", "leap-overhead.json");

    /// <summary>LEAP's step time over its baseline's, minus one (e.g. 0.03 = 3 % slower), or null if either is missing.</summary>
    public double? Overhead(string leap, string baseline)
    {
        var l = Methods.FirstOrDefault(m => m.Method == leap);
        var b = Methods.FirstOrDefault(m => m.Method == baseline);
        return l is null || b is null || b.MeanSeconds <= 0 ? null : l.MeanSeconds / b.MeanSeconds - 1;
    }

    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + Environment.NewLine);
    }
}
