using System.Text.Json.Serialization;

namespace Leap.Benchmarks.DataLoader;

/// <summary>
/// The share of training-step time spent waiting for data in a real training run: the sum of
/// <c>StepOutcome.DataWait</c> over the sum of <c>StepOutcome.Elapsed</c> of the timed steps (warm-up steps excluded).
/// </summary>
public sealed record DataWaitResult(
    [property: JsonPropertyName("dataset")] string Dataset,
    [property: JsonPropertyName("backbone")] string Backbone,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("batch")] int Batch,
    [property: JsonPropertyName("height")] int Height,
    [property: JsonPropertyName("width")] int Width,
    [property: JsonPropertyName("pad_crop")] int PadCrop,
    [property: JsonPropertyName("decode_threads")] int DecodeThreads,
    [property: JsonPropertyName("prefetch_batches")] int PrefetchBatches,
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("warmup_steps")] int WarmupSteps,
    [property: JsonPropertyName("steps")] int Steps,
    [property: JsonPropertyName("elapsed_seconds")] double ElapsedSeconds,
    [property: JsonPropertyName("data_wait_seconds")] double DataWaitSeconds,
    [property: JsonPropertyName("max_wait_seconds")] double MaxWaitSeconds,
    [property: JsonPropertyName("cpu_seconds_per_step")] double CpuSecondsPerStep)
{
    public const double TargetShare = 0.05;

    [JsonIgnore]
    public double Share => ElapsedSeconds > 0 ? DataWaitSeconds / ElapsedSeconds : 0;

    [JsonIgnore]
    public double SecondsPerStep => Steps > 0 ? ElapsedSeconds / Steps : 0;
}
