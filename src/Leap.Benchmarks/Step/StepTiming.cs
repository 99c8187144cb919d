using System.Text.Json.Serialization;

namespace Leap.Benchmarks.Step;

/// <summary>
/// Timed training steps of one implementation (ours or tests/reference/bench_torch_step.py, which writes the same
/// field names). Warm-up steps are excluded; the time of a step of ours includes the trainer's hooks that run after
/// every step (the centre tracker's observation of the batch), reported apart as hook_seconds.
/// </summary>
public sealed record StepTiming(
    [property: JsonPropertyName("implementation")] string Implementation,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("backbone")] string Backbone,
    [property: JsonPropertyName("batch")] int Batch,
    [property: JsonPropertyName("classes")] int Classes,
    [property: JsonPropertyName("dimension")] int Dimension,
    [property: JsonPropertyName("image")] int Image,
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("warmup_steps")] int WarmupSteps,
    [property: JsonPropertyName("steps")] int Steps,
    [property: JsonPropertyName("mean_seconds")] double MeanSeconds,
    [property: JsonPropertyName("min_seconds")] double MinSeconds,
    [property: JsonPropertyName("images_per_second")] double ImagesPerSecond,
    [property: JsonPropertyName("cpu_seconds_per_step")] double CpuSecondsPerStep,
    [property: JsonPropertyName("load_average_1m")] double LoadAverage)
{
    [JsonPropertyName("method")]
    public string Method { get; init; } = "CosFace";

    [JsonPropertyName("hook_seconds")]
    public double HookSeconds { get; init; }

    /// <summary>Fraction of the timed steps' samples that got a feature cloud (LEAP active).</summary>
    [JsonPropertyName("cloud_sample_fraction")]
    public double CloudSampleFraction { get; init; }

    /// <summary>Managed bytes allocated per step (ours only; tensors live in native memory).</summary>
    [JsonPropertyName("managed_bytes_per_step")]
    public double ManagedBytesPerStep { get; init; }
}
