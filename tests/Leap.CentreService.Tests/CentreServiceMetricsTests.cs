using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;
using Leap.CentreService.Client;
using Leap.CentreService.Tests.Support;

namespace Leap.CentreService.Tests;

/// <summary>`leap centre-service --set Metrics:Port=P` as a real process: Prometheus /metrics over HTTP/1.1 on P.</summary>
public sealed class CentreServiceMetricsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Metrics_AfterThreePushesAndOneRepeat_CountsPushesRowsAndLatency()
    {
        using var dir = new TempDirectory();
        int metricsPort = FreeLoopbackPort();
        var layout = TestData.SmallLayout();
        await using var service = await CentreServiceProcess.StartAsync(dir.Path, Timeout, $"Metrics:Port={metricsPort}");
        using var http = new HttpClient { Timeout = Timeout };
        var metrics = new Uri($"http://127.0.0.1:{metricsPort}/metrics");
        string before = await http.GetStringAsync(metrics);
        using var channel = GrpcChannel.ForAddress(service.Address);
        var client = new CentreServiceClient(TestAuth.Security.CallInvoker(channel), maxRetries: 0, attemptTimeout: Timeout);
        await client.InitialiseAsync(layout).WaitAsync(Timeout);
        var batches = TestData.Batches(seed: 5, count: 3, rows: 20, layout.Dimension, 0, layout.ClassCount);
        for (int step = 0; step < batches.Length; step++)
        {
            await client.PushAsync(batches[step].ToRequest(step, requestId: $"push-{step}")).WaitAsync(Timeout);
        }
        await client.PushAsync(batches[2].ToRequest(2, requestId: "push-2")).WaitAsync(Timeout);
        await client.GetCloudStatisticsAsync().WaitAsync(Timeout);

        string after = await http.GetStringAsync(metrics);

        Assert.Null(PrometheusText.TryValue(before, "leap_centre_pushes_total{result=\"applied\"}"));
        Assert.Equal(0, PrometheusText.Value(before, "leap_centre_push_seconds_count"));
        Assert.Equal(3, PrometheusText.Value(after, "leap_centre_pushes_total{result=\"applied\"}"));
        Assert.Equal(1, PrometheusText.Value(after, "leap_centre_pushes_total{result=\"duplicate\"}"));
        Assert.Equal(60, PrometheusText.Value(after, "leap_centre_push_rows_total"));
        Assert.Equal(4, PrometheusText.Value(after, "leap_centre_push_seconds_count"));
        Assert.True(PrometheusText.Value(after, "leap_centre_push_seconds_sum") > 0, "push latency sum must be positive");
        Assert.Equal(1, PrometheusText.Value(after, "leap_centre_statistics_reads_total"));
        Assert.Contains("process_cpu_seconds_total", after, StringComparison.Ordinal); // the default registry's runtime series
    }

    [Theory]
    [InlineData("Metrics:Port=70000", "Metrics:Port must be between 0 (off) and 65535 (was 70000)")]
    [InlineData("Metrics:Port=abc", "Metrics:Port must be an integer port number (was 'abc')")]
    [InlineData("Metrics:Prot=9464", "Unknown configuration key 'Metrics:Prot'")]
    public async Task CentreService_InvalidMetricsSetting_ExitsTwoNamingTheKey(string setting, string message)
    {
        using var dir = new TempDirectory();

        var (code, output, error) = await LeapCliProcess.RunAsync(Timeout,
            "centre-service", "--port", "0", "--set", $"CentreService:StateDirectory={dir.Path}", "--set", setting);

        Assert.True(code == 2, $"exit {code}\n{output}\n{error}");
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
