using System.Text;
using Leap.Benchmarks.AllReduce;
using Leap.Benchmarks.Report;

namespace Leap.Collectives.Tests;

/// <summary>The small-tensor latency benchmark over real rings, and its section of docs/benchmarks.md.</summary>
public sealed class AllReduceLatencyTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("leap-latency-section-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("tcp", 2, 4L)]
    [InlineData("tcp", 3, 4L)] // one element over three ranks: two ranks own empty segments
    [InlineData("grpc", 2, 4096L)]
    public async Task RunAsync_Ring_ReportsOrderedQuantilesOfItsSize(string kind, int n, long bytes)
    {
        var ranks = await Within.Await(LoopbackRing.StartAsync(Groups.Transport(kind), n), "the ring to form");

        var results = await Within.OnAllRanks(ranks, c => AllReduceLatencyBenchmark.RunAsync(c, bytes, iterations: 40), "the benchmark");

        Assert.All(results, r =>
        {
            Assert.Equal(bytes, r.Bytes);
            Assert.Equal(n, r.WorldSize);
            Assert.Equal(40, r.Iterations);
            Assert.True(r.MinMicroseconds > 0 && r.MinMicroseconds <= r.MedianMicroseconds && r.MedianMicroseconds <= r.P90Microseconds,
                $"min {r.MinMicroseconds}, median {r.MedianMicroseconds}, p90 {r.P90Microseconds}");
            Assert.True(r.CpuMicrosecondsPerIteration > 0);
        });
        foreach (var rank in ranks)
        {
            await Within.Await(rank.DisposeAsync().AsTask(), "shutdown");
        }
    }

    [Theory]
    [InlineData(0.5, 2.5)]
    [InlineData(0.9, 3.7)]
    [InlineData(0.0, 1.0)]
    [InlineData(1.0, 4.0)]
    public void Quantile_InterpolatesAsNumpysDefault(double q, double expected) =>
        Assert.Equal(expected, AllReduceLatencyBenchmark.Quantile([1.0, 2.0, 3.0, 4.0], q), 12);

    [Fact]
    public void Render_OursAndGloosFiles_GiveMediansP90sAndSpeed()
    {
        new AllReduceLatencyReport("leap", "ring", "tcp", 2, 4, 2000, 100, 150, 60, 110, 90).Write(Path.Combine(_root, "latency-tcp-N2-4B.json"));
        new AllReduceLatencyReport("leap", "ring", "grpc", 2, 4, 2000, 400, 700, 300, 450, 600).Write(Path.Combine(_root, "latency-grpc-N2-4B.json"));
        // The gloo script's own JSON (field names as bench_gloo_allreduce.py writes them).
        File.WriteAllText(Path.Combine(_root, "latency-gloo-N2-4B.json"),
            """{"implementation": "gloo", "algorithm": "gloo all_reduce over TCP (torch 1.13)", "transport": "gloo", "workers": 2, "bytes": 4, "iterations": 2000, "median_us": 200.0, "p90_us": 320.4, "min_us": 85.0, "mean_us": 210.0, "cpu_us_per_iteration": 500.0}""");
        new AllReduceLatencyReport("leap", "ring", "tcp", 4, 1 << 20, 2000, 2500, 3000, 2000, 2600, 4000).Write(Path.Combine(_root, "latency-tcp-N4-1048576B.json"));

        string text = Render();

        Assert.Contains("| 2 | 4 B | 200 (320) | 100 (150) | 2.00x | 400 (700) | 0.50x | 500 / 90 / 600 |", text, StringComparison.Ordinal);
        Assert.Contains("| 4 | 1 MiB | — | 2500 (3000) | — | — | — | — / 4000 / — |", text, StringComparison.Ordinal);
        Assert.Contains("then 2000 timed ones", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoFiles_SaysWhatToRun() =>
        Assert.Contains("No results yet: run `scripts/bench-allreduce-latency.sh`.", Render(), StringComparison.Ordinal);

    [Theory]
    [InlineData(4L, "4 B")]
    [InlineData(4096L, "4 KiB")]
    [InlineData(65536L, "64 KiB")]
    [InlineData(1048576L, "1 MiB")]
    [InlineData(6000L, "6000 B")]
    public void Size_NamesTheUnit(long bytes, string expected) => Assert.Equal(expected, AllReduceLatencySection.Size(bytes));

    private string Render()
    {
        var markdown = new StringBuilder();
        new AllReduceLatencySection().Render(new BenchmarkResults(_root), markdown);
        return markdown.ToString();
    }
}
