using System.Text.Json.Serialization;

namespace Leap.Benchmarks.Classifier;

/// <summary>One rank's figures: its shard, mean/min step time and its peak RSS after set-up and over the steps.</summary>
public sealed record ClassifierRankResult(
    [property: JsonPropertyName("rank")] int Rank,
    [property: JsonPropertyName("shard_rows")] int ShardRows,
    [property: JsonPropertyName("mean_sampled_rows")] double MeanSampledRows,
    [property: JsonPropertyName("mean_seconds")] double MeanSeconds,
    [property: JsonPropertyName("min_seconds")] double MinSeconds,
    [property: JsonPropertyName("setup_peak_rss_bytes")] long SetupPeakBytes,
    [property: JsonPropertyName("step_peak_rss_bytes")] long StepPeakBytes,
    [property: JsonPropertyName("peak_reset")] bool PeakReset,
    [property: JsonPropertyName("loss")] double Loss);
