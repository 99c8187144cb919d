using System.Text.Json;
using Leap.CentreService.Tests.Support;

namespace Leap.CentreService.Tests;

/// <summary>`leap bench centre` as a real process, with a tiny load (the real one is 25,000 classes, D = 512, 20 s).</summary>
public sealed class BenchCentreCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(180);
    private static readonly string[] TinyLoad = ["--clients", "2", "--duration", "1s", "--head-classes", "4", "--tail-classes", "8", "--dimension", "8", "--rows", "16"];

    [Fact]
    public async Task BenchCentre_AgainstRunningService_ReportCountsEveryAppliedPush()
    {
        using var dir = new TempDirectory();
        await using var host = await KestrelCentreHost.StartAsync(dir.Path);
        string report = Path.Combine(dir.Path, "centre-load.json");

        var (code, output, error) = await LeapCliProcess.RunAsync(Timeout,
            ["bench", "centre", .. TinyLoad, "--service", new Uri(host.Address).Authority, "--out", report]);

        Assert.True(code == 0, $"exit {code}\n{output}\n{error}");
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        var root = json.RootElement;
        Assert.Equal(host.Store.Pushes, root.GetProperty("pushes").GetInt64());
        Assert.Equal(0, root.GetProperty("failures").GetInt64());
        Assert.Equal(2, root.GetProperty("clients").GetInt32());
        Assert.Equal(12, host.Store.Layout!.ClassCount);
        Assert.Equal(8, host.Store.Layout.Dimension);
        double p50 = root.GetProperty("p50_ms").GetDouble(), p99 = root.GetProperty("p99_ms").GetDouble(), max = root.GetProperty("max_ms").GetDouble();
        Assert.True(p50 > 0 && p50 <= p99 && p99 <= max, $"p50 {p50}, p99 {p99}, max {max}");
        Assert.True(root.GetProperty("pushes_per_second").GetDouble() > 0);
        host.Log.AssertNoErrors();
    }

    [Fact]
    public async Task BenchCentre_WithoutService_RunsInProcessServiceAndPrintsRates()
    {
        using var dir = new TempDirectory();
        string report = Path.Combine(dir.Path, "centre-load.json");

        var (code, output, error) = await LeapCliProcess.RunAsync(Timeout, ["bench", "centre", .. TinyLoad, "--out", report]);

        Assert.True(code == 0, $"exit {code}\n{output}\n{error}");
        Assert.Contains("pushes/s", output, StringComparison.Ordinal);
        Assert.Contains("p99 ms", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        Assert.StartsWith("in-process (http://127.0.0.1:", json.RootElement.GetProperty("service").GetString(), StringComparison.Ordinal);
        Assert.True(json.RootElement.GetProperty("pushes").GetInt64() > 0);
    }

    [Theory]
    [InlineData("--duration", "20x", "--duration expects")]
    [InlineData("--clients", "0", "--clients must be between 1 and 1024")]
    [InlineData("--service", "no-port", "--service: expected HOST:PORT")]
    public async Task BenchCentre_InvalidOption_ExitsTwoNamingOption(string option, string value, string message)
    {
        var (code, output, error) = await LeapCliProcess.RunAsync(Timeout, "bench", "centre", option, value);

        Assert.True(code == 2, $"exit {code}\n{output}\n{error}");
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
