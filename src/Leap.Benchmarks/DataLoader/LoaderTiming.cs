using System.Text.Json.Serialization;

namespace Leap.Benchmarks.DataLoader;

/// <summary>
/// Steady-state throughput of one input pipeline (ours or tests/reference/bench_torch_dataloader.py, which writes the same
/// field names): batches decoded, resized, normalised and augmented into [B, 3, H, W] float tensors, timed after
/// <see cref="WarmupBatches"/> batches; CPU time of every thread and process of the pipeline per timed image; and, one
/// image at a time on one thread: the image codec alone (JPEG bytes to 8-bit pixels: SkiaSharp for us, PIL for PyTorch),
/// the decode as the pipeline does it (ours: read the record, codec, convert to float CHW) and the whole per-sample
/// preparation (ours: decode, resize, normalise; PyTorch: decode and every transform, augmentation included).
/// </summary>
/// <param name="Images">Images the pipeline samples batches from (the same list on both sides).</param>
/// <param name="Workers">Our decode threads, or PyTorch's DataLoader worker processes.</param>
public sealed record LoaderTiming(
    [property: JsonPropertyName("implementation")] string Implementation,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("dataset")] string Dataset,
    [property: JsonPropertyName("images")] int Images,
    [property: JsonPropertyName("batch")] int Batch,
    [property: JsonPropertyName("workers")] int Workers,
    [property: JsonPropertyName("prefetch")] int Prefetch,
    [property: JsonPropertyName("warmup_batches")] int WarmupBatches,
    [property: JsonPropertyName("batches")] int Batches,
    [property: JsonPropertyName("shape")] IReadOnlyList<long> Shape,
    [property: JsonPropertyName("pad_crop")] int PadCrop,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("images_per_second")] double ImagesPerSecond,
    [property: JsonPropertyName("cpu_seconds_per_image")] double CpuSecondsPerImage,
    [property: JsonPropertyName("codec_seconds_per_image")] double CodecSecondsPerImage,
    [property: JsonPropertyName("decode_seconds_per_image")] double DecodeSecondsPerImage,
    [property: JsonPropertyName("sample_seconds_per_image")] double SampleSecondsPerImage,
    [property: JsonPropertyName("load_average_1m")] double LoadAverage)
{
    /// <summary>Ours: share of the timed wall time the consumer waited for a decoded batch (near 1 = decoding is the limit).</summary>
    [JsonPropertyName("wait_fraction")]
    public double WaitFraction { get; init; }

    /// <summary>Ours: the batch augmentation (flip, pad-crop on the batch tensor) per timed batch, on the consuming thread.</summary>
    [JsonPropertyName("augment_seconds_per_batch")]
    public double AugmentSecondsPerBatch { get; init; }

    /// <summary>Ours: turning a decoded batch into its tensors on the consuming thread (Take minus the wait), per timed batch.</summary>
    [JsonPropertyName("batch_seconds_per_batch")]
    public double BatchSecondsPerBatch { get; init; }

    /// <summary>Ours: full (generation 2) garbage collections during the timed batches (large per-image buffers cause them).</summary>
    [JsonPropertyName("gen2_collections")]
    public int Gen2Collections { get; init; }

    /// <summary>Images in the timed batches.</summary>
    [JsonIgnore]
    public long TimedImages => (long)Batch * Batches;
}
