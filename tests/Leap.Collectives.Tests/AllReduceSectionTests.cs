using System.Text;
using System.Text.Json;
using Leap.Benchmarks.AllReduce;
using Leap.Benchmarks.Report;

namespace Leap.Collectives.Tests;

/// <summary>The all-reduce section of docs/benchmarks.md, rendered from stored result files.</summary>
public sealed class AllReduceSectionTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-allreduce-section-" + Guid.NewGuid().ToString("N"));

    public AllReduceSectionTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static AllReduceBenchReport Run(string implementation, string transport, double busbw, double cpuSeconds, long? managedBytes = null, double? gcPause = null) =>
        new(implementation, "ring", transport, 2, 25, 25 << 20, 10, 0.01, 0.009, busbw, busbw, cpuSeconds, managedBytes, gcPause, 0);

    private void WriteRuns()
    {
        Run("leap", "tcp", 2.0, 0.011, 27_000, 0).Write(Path.Combine(_root, "allreduce-tcp-N2-25MB.json"));
        Run("leap", "grpc", 0.5, 0.055, 27_000_000, 0.0051).Write(Path.Combine(_root, "allreduce-grpc-N2-25MB.json"));
        Run("gloo", "gloo-tcp", 1.6, 0.016).Write(Path.Combine(_root, "gloo-N2-25MB.json"));
    }

    private string Render()
    {
        var markdown = new StringBuilder();
        new AllReduceSection().Render(new BenchmarkResults(_root), markdown);
        return markdown.ToString();
    }

    [Fact]
    public void Render_Runs_ShowsRatiosCpuAndManagedHeapPerTransport()
    {
        WriteRuns();

        var text = Render();

        Assert.Contains("| 2 | 25 | 1.600 | 2.000 | 1.25x | 0.500 | 0.31x | 16 / 11 / 55 | 0.0 / 0.0; 27.0 / 5.1 |", text, StringComparison.Ordinal);
        Assert.Contains("No socket-call counts yet: run `scripts/bench-ring-syscalls.sh`.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_RunWithoutHeapFieldsAndNoPeers_ShowsDashes()
    {
        Run("leap", "tcp", 2.0, 0.011).Write(Path.Combine(_root, "allreduce-tcp-N2-25MB.json"));

        Assert.Contains("| 2 | 25 | — | 2.000 | — | — | — | — / 11 / — | —; — |", Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SyscallCounts_ArePerRankPerAllReduceWithBytesPerCall()
    {
        WriteRuns();
        // 2 ranks x 11 all-reduces; each rank receives and sends 25 MiB per all-reduce (2(N-1)/N of the tensor).
        var counts = new RingSyscallCounts("grpc", 2, 25, 11, RecvFrom: 35_000, Read: 200, SendTo: 35_420, SendMsg: 0, Write: 0, DateTimeOffset.UnixEpoch);
        File.WriteAllText(Path.Combine(_root, "ring-syscalls-grpc.json"), JsonSerializer.Serialize(counts));

        var text = Render();

        Assert.Contains("| grpc | 1,600 | 16.0 | 1,610 | 15.9 |", text, StringComparison.Ordinal);
        Assert.Contains("`leap bench allreduce --workers 2 --mb 25` run, setup included), 1970-01-01 00:00 UTC.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("No socket-call counts yet", text, StringComparison.Ordinal);
    }
}
