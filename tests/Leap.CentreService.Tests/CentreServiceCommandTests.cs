using System.Text.Json;
using Grpc.Net.Client;
using Leap.CentreService.Client;
using Leap.CentreService.Tests.Support;
using static Leap.CentreService.Tests.Support.CliJson;

namespace Leap.CentreService.Tests;

/// <summary>`leap centre-service` as a real process: configuration errors, and `leap stats` against it.</summary>
public sealed class CentreServiceCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Theory]
    [InlineData(new[] { "CentreService:Bogus=1" }, new[] { "Unknown configuration key 'CentreService:Bogus'" })]
    [InlineData(new[] { "CentreService:Partitions=abc" }, new[] { "'CentreService:Partitions'" })]
    [InlineData(new[] { "CentreService:Partitions=0", "CentreService:HistogramBins=0" }, new[] { "CentreService:Partitions must be", "CentreService:HistogramBins must be" })]
    [InlineData(new[] { "CentreService:MaxConnections=0", "CentreService:IdleConnectionTimeout=00:00:00" }, new[] { "CentreService:MaxConnections must be", "CentreService:IdleConnectionTimeout must be" })]
    [InlineData(new[] { "CentreService:MaxConnections=many" }, new[] { "'CentreService:MaxConnections'" })]
    [InlineData(new[] { "CentreService:Variant=Ful", "CentreService:UpdateRule=CentreLos" }, new[] {
        "CentreService:Variant must be one of None, Vanilla, Full (was 'Ful').", "CentreService:UpdateRule must be one of CentreLoss, PaperEquation4 (was 'CentreLos')." })]
    [InlineData(new[] { "no-equals-sign" }, new[] { "--set expects Section:Key=Value, got 'no-equals-sign'" })]
    public async Task CentreService_InvalidSettings_ExitsTwoNamingEveryKey(string[] settings, string[] messages)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(messages);
        using var dir = new TempDirectory();
        string[] args = ["centre-service", "--port", "0", "--set", $"CentreService:StateDirectory={dir.Path}", .. settings.SelectMany(s => new[] { "--set", s })];

        var (code, output, error) = await LeapCliProcess.RunAsync(Timeout, args);

        Assert.True(code == 2, $"exit {code}\n{output}\n{error}");
        foreach (string message in messages)
        {
            Assert.Contains(message, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CentreService_InvalidListenAddress_ExitsTwoNamingOption()
    {
        var (code, output, error) = await LeapCliProcess.RunAsync(Timeout, "centre-service", "--port", "0", "--listen", "not-an-ip");

        Assert.True(code == 2, $"exit {code}\n{output}\n{error}");
        Assert.Contains("--listen expects an IP address or *, got 'not-an-ip'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CentreService_PushesThenStatsProcess_ClassStatisticsEqualInProcessTracker()
    {
        using var dir = new TempDirectory();
        var layout = TestData.SmallLayout();
        await using var service = await CentreServiceProcess.StartAsync(dir.Path, Timeout, "CentreService:Partitions=3");
        using var channel = GrpcChannel.ForAddress(service.Address);
        var client = new CentreServiceClient(TestAuth.Security.CallInvoker(channel), maxRetries: 0, attemptTimeout: Timeout);
        await client.InitialiseAsync(layout).WaitAsync(Timeout);
        using var tracker = TestData.Tracker(layout);
        var batches = TestData.Batches(seed: 21, count: 8, rows: 20, layout.Dimension, 0, layout.ClassCount);
        for (int step = 0; step < batches.Length; step++)
        {
            await client.PushAsync(batches[step].ToRequest(step)).WaitAsync(Timeout);
            batches[step].FeedTo(tracker, step);
        }

        string[] args = ["stats", "--service", new Uri(service.Address).Authority, "--json",
            .. Enumerable.Range(0, layout.ClassCount).SelectMany(c => new[] { "--class", c.ToString(System.Globalization.CultureInfo.InvariantCulture) })];
        var (code, output, error) = await LeapCliProcess.RunAsync(Timeout, args);

        Assert.True(code == 0, $"exit {code}\n{output}\n{error}");
        using var json = JsonDocument.Parse(output);
        var expected = tracker.Statistics;
        AssertClose(expected.OverallVariance, json.RootElement.GetProperty("overallVariance"), 1e-12, "overall sigma^2");
        var classes = json.RootElement.GetProperty("classes").EnumerateArray().ToArray();
        Assert.Equal(layout.ClassCount, classes.Length);
        for (int c = 0; c < layout.ClassCount; c++)
        {
            Assert.Equal(layout.SamplesPerClass[c], classes[c].GetProperty("samples").GetInt32());
            Assert.Equal(expected.IsHead(c), classes[c].GetProperty("head").GetBoolean());
            Assert.Equal(expected.IsCloudClass(c), classes[c].GetProperty("cloud").GetBoolean());
            Assert.Equal(tracker.Memory.Count(c), classes[c].GetProperty("angleCount").GetInt32());
            AssertClose(tracker.Memory.Mean(c), classes[c].GetProperty("meanAngle"), 1e-12, $"mu_{c}");
            AssertClose(expected.ClassVariance(c), classes[c].GetProperty("variance"), 1e-12, $"sigma_{c}^2");
            AssertClose(expected.AlphaStd(c), classes[c].GetProperty("alphaStd"), 1e-12, $"alpha std of class {c}");
        }
        Assert.Empty(service.Errors);
    }
}
