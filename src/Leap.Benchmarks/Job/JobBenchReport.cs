using System.Text.Json;
using System.Text.Json.Serialization;

namespace Leap.Benchmarks.Job;

/// <summary>
/// docs/bench/job-w&lt;N&gt;-&lt;variant&gt;.json: `leap launch --workers N` of the quick-start job, `leap train` of the same job
/// and the PyTorch DDP peer (tests/reference/bench_ddp_job.py), interleaved over the repeats; medians over the repeats.
/// </summary>
public sealed record JobBenchReport(
    [property: JsonPropertyName("started_utc")] DateTimeOffset StartedUtc,
    [property: JsonPropertyName("load_average_1m")] double LoadAverage,
    [property: JsonPropertyName("load_average_end_1m")] double LoadAverageEnd,
    [property: JsonPropertyName("processor_count")] int ProcessorCount,
    [property: JsonPropertyName("workers")] int Workers,
    [property: JsonPropertyName("threads_per_worker")] int ThreadsPerWorker,
    [property: JsonPropertyName("variant")] string Variant,
    [property: JsonPropertyName("batch")] int Batch,
    [property: JsonPropertyName("steps")] int Steps,
    [property: JsonPropertyName("warmup_steps")] int WarmupSteps,
    [property: JsonPropertyName("evaluation_pairs")] int EvaluationPairs,
    [property: JsonPropertyName("repeats")] IReadOnlyList<JobRepeat> Repeats,
    [property: JsonPropertyName("reference")] string Reference)
{
    /// <summary>The <see cref="JobModel"/> name; absent in results written before the ResNet-18 job existed, which are the quick-start's.</summary>
    [JsonPropertyName("model")]
    public string Model { get; init; } = JobModel.QuickStart.Name;

    /// <summary>
    /// The measured processes' malloc setting (<see cref="Leap.Launch.NativeHeapRetention"/>): retain or default; absent
    /// in results written before the product kept freed memory, which ran on glibc's defaults.
    /// </summary>
    [JsonPropertyName("native_heap")]
    public string NativeHeap { get; init; } = Leap.Launch.NativeHeapRetention.DefaultHeap;

    /// <summary>
    /// Training:Distributed:Classifier of the launch (auto, sharded or replicated); absent in results written before
    /// the setting existed, when every launch sharded the classifier.
    /// </summary>
    [JsonPropertyName("classifier")]
    public string Classifier { get; init; } = "sharded";

    /// <summary>The placement the launches' workers used (what auto resolved to): the first launch's, else <see cref="Classifier"/>.</summary>
    [JsonIgnore]
    public string ClassifierUsed => Repeats.Select(r => r.Launch.ClassifierPlacement).FirstOrDefault(p => p is not null) ?? Classifier;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    [JsonPropertyName("median_launch_images_per_second")]
    public double LaunchImagesPerSecond => SteadyStateThroughput.Median(Repeats.Select(r => r.Launch.ImagesPerSecond).ToArray());

    [JsonPropertyName("median_train_images_per_second")]
    public double TrainImagesPerSecond => SteadyStateThroughput.Median(Repeats.Select(r => r.Train.ImagesPerSecond).ToArray());

    /// <summary>Median over the repeats in which the peer ran; null when it never did.</summary>
    [JsonPropertyName("median_ddp_images_per_second")]
    public double? DdpImagesPerSecond => MedianOrNull(Repeats.Where(r => r.Ddp is not null).Select(r => r.Ddp!.ImagesPerSecond).ToArray());

    [JsonPropertyName("median_launch_cpu_seconds_per_step")]
    public double LaunchCpuSecondsPerStep => SteadyStateThroughput.Median(Repeats.Select(r => r.Launch.CpuSecondsPerStep).ToArray());

    [JsonPropertyName("median_train_cpu_seconds_per_step")]
    public double TrainCpuSecondsPerStep => SteadyStateThroughput.Median(Repeats.Select(r => r.Train.CpuSecondsPerStep).ToArray());

    [JsonPropertyName("median_ddp_cpu_seconds_per_step")]
    public double? DdpCpuSecondsPerStep => MedianOrNull(Repeats.Where(r => r.Ddp is not null).Select(r => r.Ddp!.CpuSecondsPerStep).ToArray());

    /// <summary>Median launch images/s over the median DDP images/s, or null without the peer.</summary>
    [JsonIgnore]
    public double? LaunchOverDdp => DdpImagesPerSecond is double ddp && ddp > 0 ? LaunchImagesPerSecond / ddp : null;

    [JsonIgnore]
    public double LaunchOverTrain => LaunchImagesPerSecond / TrainImagesPerSecond;

    /// <summary>Repeats in which the launch ran at least as fast as the single-process train run next to it.</summary>
    [JsonIgnore]
    public int RepeatsLaunchNotSlower => Repeats.Count(r => r.Launch.ImagesPerSecond >= r.Train.ImagesPerSecond);

    /// <summary>
    /// job-w2-full.json for the quick-start model (the name results had before there were two), job-resnet18-w2-full.json
    /// otherwise; with -glibc-heap before .json when the processes ran on glibc's malloc defaults, and -sharded or
    /// -replicated when the launch's classifier placement was forced instead of left to auto.
    /// </summary>
    public static string FileName(int workers, string variant, string model, bool retainNativeHeap = true, string classifier = "auto") =>
        (model == JobModel.QuickStart.Name ? $"job-w{workers}-{variant.ToLowerInvariant()}" : $"job-{model}-w{workers}-{variant.ToLowerInvariant()}")
        + (retainNativeHeap ? "" : "-glibc-heap") + (classifier == "auto" ? "" : "-" + classifier) + ".json";

    public static string DefaultPath(int workers, string variant, string model, bool retainNativeHeap = true, string classifier = "auto") =>
        Path.Combine("docs", "bench", FileName(workers, variant, model, retainNativeHeap, classifier));

    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + Environment.NewLine);
    }

    private static double? MedianOrNull(double[] values) => values.Length == 0 ? null : SteadyStateThroughput.Median(values);
}
