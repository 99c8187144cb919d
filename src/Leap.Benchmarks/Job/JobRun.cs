using System.Text.Json.Serialization;

namespace Leap.Benchmarks.Job;

/// <summary>
/// One run of the job: steady-state images/s (median over the steps after the warm-up) and the CPU seconds of the whole
/// run per step (getrusage of every process it started, so start-up, data loading and the final evaluation are in it).
/// </summary>
public sealed record JobRun(
    [property: JsonPropertyName("implementation")] string Implementation,
    [property: JsonPropertyName("images_per_second")] double ImagesPerSecond,
    [property: JsonPropertyName("cpu_seconds_per_step")] double CpuSecondsPerStep,
    [property: JsonPropertyName("wall_seconds")] double WallSeconds,
    [property: JsonPropertyName("load_average_1m")] double LoadAverage)
{
    public const string Launch = "leap-launch";
    public const string Train = "leap-train";
    public const string Ddp = "pytorch-ddp";

    /// <summary>The DDP peer's own figure: CPU seconds per timed step summed over its ranks (no start-up); null for ours.</summary>
    [JsonPropertyName("timed_cpu_seconds_per_step")]
    public double? TimedCpuSecondsPerStep { get; init; }

    /// <summary>Ours: median wall time per step phase after the warm-up (rank 0 for a launch); null for the peer and older results.</summary>
    [JsonPropertyName("phase_medians_ms")]
    public IReadOnlyList<PhaseTime>? Phases { get; init; }

    /// <summary>A launch: the classifier placement its workers logged (sharded or replicated); null for the others and older results.</summary>
    [JsonPropertyName("classifier_placement")]
    public string? ClassifierPlacement { get; init; }
}

/// <summary>One interleaved repeat: our launch, our single-process train and the DDP peer (null when it did not run), back to back.</summary>
public sealed record JobRepeat(
    [property: JsonPropertyName("repeat")] int Repeat,
    [property: JsonPropertyName("launch")] JobRun Launch,
    [property: JsonPropertyName("train")] JobRun Train,
    [property: JsonPropertyName("ddp")] JobRun? Ddp);
