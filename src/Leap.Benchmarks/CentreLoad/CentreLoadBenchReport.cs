using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Leap.Benchmarks.CentreLoad;

namespace Leap.Benchmarks.CentreLoad;

/// <summary>What the load generator asked for: C = head + tail classes, D, rows per push, N clients for a duration, each pushing back to back (interval 0) or on a schedule.</summary>
public sealed record CentreLoadShape(int Clients, TimeSpan Duration, int HeadClasses, int HeadSamples, int TailClasses, int TailSamples,
    int Dimension, int FeaturesPerPush, TimeSpan PushInterval = default);

/// <summary>
/// One `leap bench centre` run as docs/bench/centre-load.json: the load's shape, where the service ran ("in-process"
/// shares the CPU with the clients), throughput, push round-trip percentiles (including the service's fsync), and the
/// machine's core count and 1-minute load average at the start (the numbers depend on what else runs).
/// </summary>
public sealed record CentreLoadBenchReport(
    [property: JsonPropertyName("service")] string Service,
    [property: JsonPropertyName("clients")] int Clients,
    [property: JsonPropertyName("duration_seconds")] double DurationSeconds,
    [property: JsonPropertyName("elapsed_seconds")] double ElapsedSeconds,
    [property: JsonPropertyName("head_classes")] int HeadClasses,
    [property: JsonPropertyName("head_samples")] int HeadSamples,
    [property: JsonPropertyName("tail_classes")] int TailClasses,
    [property: JsonPropertyName("tail_samples")] int TailSamples,
    [property: JsonPropertyName("dimension")] int Dimension,
    [property: JsonPropertyName("features_per_push")] int FeaturesPerPush,
    [property: JsonPropertyName("pushes")] long Pushes,
    [property: JsonPropertyName("failures")] long Failures,
    [property: JsonPropertyName("pushes_per_second")] double PushesPerSecond,
    [property: JsonPropertyName("rows_per_second")] double RowsPerSecond,
    [property: JsonPropertyName("p50_ms")] double P50Milliseconds,
    [property: JsonPropertyName("p99_ms")] double P99Milliseconds,
    [property: JsonPropertyName("max_ms")] double MaxMilliseconds,
    [property: JsonPropertyName("processor_count")] int ProcessorCount,
    [property: JsonPropertyName("load_average_1m")] double? LoadAverage,
    [property: JsonPropertyName("started_utc")] DateTimeOffset StartedUtc)
{
    /// <summary>Where the service and the clients ran (shared CPUs, or pinned with --service-cpus); null in results older than the option.</summary>
    [JsonPropertyName("placement")]
    public string? Placement { get; init; }

    /// <summary>Time between one client's pushes (0: back to back).</summary>
    [JsonPropertyName("push_interval_ms")]
    public double PushIntervalMilliseconds { get; init; }

    /// <summary>The service's own p50 of a push (its leap_centre_push_seconds histogram), or null where it was not read.</summary>
    [JsonPropertyName("server_p50_ms")]
    public double? ServerP50Milliseconds { get; init; }

    /// <summary>The service's own p99 of a push, or null where it was not read.</summary>
    [JsonPropertyName("server_p99_ms")]
    public double? ServerP99Milliseconds { get; init; }

    /// <summary>This report with the service's view of the same pushes.</summary>
    public CentreLoadBenchReport WithServer(ServerPushLatency? server) =>
        server is null ? this : this with { ServerP50Milliseconds = server.P50Milliseconds, ServerP99Milliseconds = server.P99Milliseconds };

    public static CentreLoadBenchReport Read(string path) =>
        JsonSerializer.Deserialize<CentreLoadBenchReport>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: empty result.");

    public static readonly string DefaultPath = Path.Combine("docs", "bench", "centre-load.json");

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static CentreLoadBenchReport From(CentreLoadBenchmarkResult result, CentreLoadShape shape, string service, double? loadAverage,
        DateTimeOffset startedUtc)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(shape);
        return new CentreLoadBenchReport(service, result.Clients, shape.Duration.TotalSeconds, result.Elapsed.TotalSeconds,
            shape.HeadClasses, shape.HeadSamples, shape.TailClasses, shape.TailSamples, shape.Dimension, shape.FeaturesPerPush,
            result.Pushes, result.Failures, result.PushesPerSecond, result.RowsPerSecond,
            result.P50.TotalMilliseconds, result.P99.TotalMilliseconds, result.Max.TotalMilliseconds,
            Environment.ProcessorCount, loadAverage, startedUtc) { PushIntervalMilliseconds = shape.PushInterval.TotalMilliseconds };
    }

    /// <summary>The first field of /proc/loadavg, or null where there is none.</summary>
    public static double? CurrentLoadAverage()
    {
        try
        {
            string text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + Environment.NewLine);
    }

    public string Summary()
    {
        string table = string.Create(CultureInfo.InvariantCulture,
            $"{"clients",7} {"pushes",8} {"failures",8} {"pushes/s",9} {"rows/s",10} {"p50 ms",8} {"p99 ms",8} {"max ms",8}{Environment.NewLine}" +
            $"{Clients,7} {Pushes,8} {Failures,8} {PushesPerSecond,9:0.0} {RowsPerSecond,10:0} {P50Milliseconds,8:0.0} {P99Milliseconds,8:0.0} {MaxMilliseconds,8:0.0}");
        return ServerP99Milliseconds is double p99
            ? table + string.Create(CultureInfo.InvariantCulture, $"{Environment.NewLine}service's own time per push: p50 {ServerP50Milliseconds:0.0} ms, p99 {p99:0.0} ms")
            : table;
    }
}
