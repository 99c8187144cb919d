using System.Text.Json;
using System.Text.Json.Serialization;
using Leap.Benchmarks.Job;

namespace Leap.Benchmarks.Overlap;

/// <summary>
/// docs/bench/overlap-&lt;backbone&gt;-w&lt;N&gt;.json: the data-parallel step with and without the overlapped gradient
/// all-reduce (Training:Distributed:OverlapGradients), interleaved over the repeats; medians over the repeats.
/// </summary>
public sealed record OverlapBenchReport(
    [property: JsonPropertyName("started_utc")] DateTimeOffset StartedUtc,
    [property: JsonPropertyName("load_average_1m")] double LoadAverage,
    [property: JsonPropertyName("load_average_end_1m")] double LoadAverageEnd,
    [property: JsonPropertyName("processor_count")] int ProcessorCount,
    [property: JsonPropertyName("backbone")] string Backbone,
    [property: JsonPropertyName("workers")] int Workers,
    [property: JsonPropertyName("threads_per_worker")] int ThreadsPerWorker,
    [property: JsonPropertyName("batch")] int Batch,
    [property: JsonPropertyName("classes")] int Classes,
    [property: JsonPropertyName("dimension")] int Dimension,
    [property: JsonPropertyName("image")] int Image,
    [property: JsonPropertyName("warmup_steps")] int WarmupSteps,
    [property: JsonPropertyName("steps")] int Steps,
    [property: JsonPropertyName("transport")] string Transport,
    [property: JsonPropertyName("note")] string Note,
    [property: JsonPropertyName("runs")] IReadOnlyList<OverlapRun> Runs)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    [JsonPropertyName("median_step_seconds_overlap")]
    public double StepSecondsOverlap => Median(true, r => r.StepSeconds);

    [JsonPropertyName("median_step_seconds_no_overlap")]
    public double StepSecondsNoOverlap => Median(false, r => r.StepSeconds);

    [JsonPropertyName("median_communication_share_overlap")]
    public double ShareOverlap => Median(true, r => r.CommunicationShare);

    [JsonPropertyName("median_communication_share_no_overlap")]
    public double ShareNoOverlap => Median(false, r => r.CommunicationShare);

    /// <summary>Step time without overlap over step time with it (above 1: overlap is faster).</summary>
    [JsonIgnore]
    public double Speedup => StepSecondsNoOverlap / StepSecondsOverlap;

    public static string FileName(string backbone, int workers) => $"overlap-{backbone.ToLowerInvariant()}-w{workers}.json";

    public double Median(bool overlap, Func<OverlapRun, double> value) =>
        SteadyStateThroughput.Median(Runs.Where(r => r.Overlap == overlap).Select(value).ToArray());

    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + Environment.NewLine);
    }
}
