using System.Text.Json.Serialization;

namespace Leap.Benchmarks.Report;

/// <summary>When and under what load a benchmark script ran (written by the script next to the results).</summary>
public sealed record BenchmarkRunInfo(
    [property: JsonPropertyName("started_utc")] DateTimeOffset StartedUtc,
    [property: JsonPropertyName("load_average_1m")] double LoadAverage,
    [property: JsonPropertyName("processor_count")] int ProcessorCount,
    [property: JsonPropertyName("note")] string Note);
