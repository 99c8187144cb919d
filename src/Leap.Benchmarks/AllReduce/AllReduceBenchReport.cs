using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Leap.Benchmarks.AllReduce;

namespace Leap.Benchmarks.AllReduce;

/// <summary>
/// One all-reduce benchmark result (rank 0's view; cpu = rank 0's process CPU time per timed iteration) as JSON, with the same fields as tests/reference/bench_gloo_allreduce.py writes, so
/// the comparison report reads both alike. busbw = algbw * 2(N-1)/N (nccl-tests).
/// </summary>
public sealed record AllReduceBenchReport(
    [property: JsonPropertyName("implementation")] string Implementation,
    [property: JsonPropertyName("algorithm")] string Algorithm,
    [property: JsonPropertyName("transport")] string Transport,
    [property: JsonPropertyName("workers")] int Workers,
    [property: JsonPropertyName("megabytes")] int Megabytes,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("iterations")] int Iterations,
    [property: JsonPropertyName("mean_seconds")] double MeanSeconds,
    [property: JsonPropertyName("min_seconds")] double MinSeconds,
    [property: JsonPropertyName("algbw_gbps")] double AlgorithmBandwidthGBps,
    [property: JsonPropertyName("busbw_gbps")] double BusBandwidthGBps,
    [property: JsonPropertyName("cpu_seconds_per_iteration")] double CpuSecondsPerIteration,
    [property: JsonPropertyName("managed_bytes_per_iteration")] long? ManagedBytesPerIteration = null,
    [property: JsonPropertyName("gc_pause_seconds_per_iteration")] double? GcPauseSecondsPerIteration = null,
    [property: JsonPropertyName("gen2_collections_per_iteration")] double? Gen2CollectionsPerIteration = null)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static AllReduceBenchReport From(AllReduceBenchmarkResult result, string transport, int megabytes)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new AllReduceBenchReport("leap", result.Algorithm, transport, result.WorldSize, megabytes, result.Bytes, result.Iterations,
            result.MeanTime.TotalSeconds, result.MinTime.TotalSeconds, result.AlgorithmBandwidthGBps, result.BusBandwidthGBps,
            result.CpuTimePerIteration.TotalSeconds, result.ManagedHeap.AllocatedBytes, result.ManagedHeap.GcPause.TotalSeconds,
            result.ManagedHeap.Gen2Collections);
    }

    /// <summary>docs/bench/allreduce-tcp-N4-100MB.json</summary>
    public static string DefaultPath(string transport, int workers, int megabytes) =>
        Path.Combine("docs", "bench", string.Create(CultureInfo.InvariantCulture, $"allreduce-{transport}-N{workers}-{megabytes}MB.json"));

    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + Environment.NewLine);
    }

    /// <summary>A header line and a row, fixed width (the gloo script prints the same columns).</summary>
    public string Table() => string.Create(CultureInfo.InvariantCulture,
        $"{"algorithm",-66} {"N",2} {"MB",5} {"mean ms",9} {"min ms",9} {"algbw GB/s",11} {"busbw GB/s",11} {"cpu ms/it",9} {"heap MB/it",10} {"gc ms/it",8} {"gen2/it",7}{Environment.NewLine}" +
        $"{Algorithm,-66} {Workers,2} {Megabytes,5} {MeanSeconds * 1e3,9:0.00} {MinSeconds * 1e3,9:0.00} {AlgorithmBandwidthGBps,11:0.000} {BusBandwidthGBps,11:0.000} {CpuSecondsPerIteration * 1e3,9:0.0} {ManagedBytesPerIteration / 1e6,10:0.0} {GcPauseSecondsPerIteration * 1e3,8:0.0} {Gen2CollectionsPerIteration,7:0.0}");
}
