using System.Text.Json.Serialization;

namespace Leap.Benchmarks.Overlap;

/// <summary>
/// One run of the data-parallel step with or without the overlapped gradient all-reduce; per-step means over the timed
/// steps of rank 0. Exposed communication = the time its training thread waited for collectives: every collective it
/// called itself (all-gathers, dF's all-reduce and, without overlap, the gradient all-reduces) plus, with overlap, the
/// wait for the gradient all-reduces the backward did not hide.
/// </summary>
public sealed record OverlapRun(
    [property: JsonPropertyName("overlap")] bool Overlap,
    [property: JsonPropertyName("repeat")] int Repeat,
    [property: JsonPropertyName("step_seconds")] double StepSeconds,
    [property: JsonPropertyName("min_step_seconds")] double MinStepSeconds,
    [property: JsonPropertyName("blocking_collective_seconds")] double BlockingCollectiveSeconds,
    [property: JsonPropertyName("background_allreduce_seconds")] double BackgroundAllReduceSeconds,
    [property: JsonPropertyName("gradient_wait_seconds")] double GradientWaitSeconds)
{
    [JsonPropertyName("exposed_communication_seconds")]
    public double ExposedCommunicationSeconds => BlockingCollectiveSeconds + (Overlap ? GradientWaitSeconds : 0);

    [JsonPropertyName("communication_share")]
    public double CommunicationShare => ExposedCommunicationSeconds / StepSeconds;
}
