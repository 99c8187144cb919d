using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Leap.Benchmarks.AllReduce;

/// <summary>
/// One small-tensor all-reduce latency result (rank 0's view) as JSON, with the fields
/// tests/reference/bench_gloo_allreduce.py writes in its <c>--bytes</c> mode, so the report reads both alike.
/// </summary>
public sealed record AllReduceLatencyReport(
    [property: JsonPropertyName("implementation")] string Implementation,
    [property: JsonPropertyName("algorithm")] string Algorithm,
    [property: JsonPropertyName("transport")] string Transport,
    [property: JsonPropertyName("workers")] int Workers,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("iterations")] int Iterations,
    [property: JsonPropertyName("median_us")] double MedianMicroseconds,
    [property: JsonPropertyName("p90_us")] double P90Microseconds,
    [property: JsonPropertyName("min_us")] double MinMicroseconds,
    [property: JsonPropertyName("mean_us")] double MeanMicroseconds,
    [property: JsonPropertyName("cpu_us_per_iteration")] double CpuMicrosecondsPerIteration)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static AllReduceLatencyReport From(AllReduceLatencyResult result, string transport)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new AllReduceLatencyReport("leap", result.Algorithm, transport, result.WorldSize, result.Bytes, result.Iterations,
            result.MedianMicroseconds, result.P90Microseconds, result.MinMicroseconds, result.MeanMicroseconds, result.CpuMicrosecondsPerIteration);
    }

    /// <summary>docs/bench/latency-tcp-N2-4096B.json (gloo's: latency-gloo-N2-4096B.json).</summary>
    public static string DefaultPath(string transport, int workers, long bytes) =>
        Path.Combine("docs", "bench", string.Create(CultureInfo.InvariantCulture, $"latency-{transport}-N{workers}-{bytes}B.json"));

    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + Environment.NewLine);
    }

    /// <summary>A header line and a row, fixed width (the gloo script prints the same columns).</summary>
    public string Table() => string.Create(CultureInfo.InvariantCulture,
        $"{"algorithm",-66} {"N",2} {"bytes",8} {"median us",10} {"p90 us",10} {"min us",10} {"cpu us/it",10}{Environment.NewLine}" +
        $"{Algorithm,-66} {Workers,2} {Bytes,8} {MedianMicroseconds,10:0.0} {P90Microseconds,10:0.0} {MinMicroseconds,10:0.0} {CpuMicrosecondsPerIteration,10:0.0}");
}
