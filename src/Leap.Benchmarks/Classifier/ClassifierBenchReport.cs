using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Leap.Benchmarks.Classifier;

/// <summary>docs/bench/classifier-C*-N*[-r*].json: one (C, N, sample rate) point of the classifier scaling benchmark.</summary>
public sealed record ClassifierBenchReport(
    [property: JsonPropertyName("started_utc")] DateTimeOffset StartedUtc,
    [property: JsonPropertyName("load_average_1m")] double LoadAverage,
    [property: JsonPropertyName("processor_count")] int ProcessorCount,
    [property: JsonPropertyName("classes")] int Classes,
    [property: JsonPropertyName("workers")] int Workers,
    [property: JsonPropertyName("batch")] int Batch,
    [property: JsonPropertyName("dimension")] int Dimension,
    [property: JsonPropertyName("sample_rate")] double SampleRate,
    [property: JsonPropertyName("threads_per_rank")] int ThreadsPerRank,
    [property: JsonPropertyName("warmup_steps")] int WarmupSteps,
    [property: JsonPropertyName("steps")] int Steps,
    [property: JsonPropertyName("ranks")] IReadOnlyList<ClassifierRankResult> Ranks)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The step time of the job: the slowest rank's mean (every step ends in collectives, so ranks move together).</summary>
    [JsonIgnore]
    public double StepSeconds => Ranks.Count == 0 ? 0 : Ranks.Max(r => r.MeanSeconds);

    [JsonIgnore]
    public long MaxStepPeakBytes => Ranks.Count == 0 ? 0 : Ranks.Max(r => r.StepPeakBytes);

    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + Environment.NewLine);
    }

    public static ClassifierBenchReport Read(string path) =>
        JsonSerializer.Deserialize<ClassifierBenchReport>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: empty.");

    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"C={Classes} N={Workers} r={SampleRate} B={Batch} D={Dimension}: {StepSeconds * 1e3:0} ms/step, peak RSS per rank {MaxStepPeakBytes / (double)(1L << 30):0.00} GiB (set-up {Ranks.Max(r => r.SetupPeakBytes) / (double)(1L << 30):0.00} GiB)");
}
