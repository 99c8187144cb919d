using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Leap.CentreService.Tests.Support;
using static Leap.CentreService.Tests.Support.CliJson;

namespace Leap.CentreService.Tests;

/// <summary>`leap stats` as a real process against the service on Kestrel (127.0.0.1, port 0), checked against the store.</summary>
public sealed class StatsCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Stats_JsonSummaryAfterPushes_EqualsStoreSummary()
    {
        using var dir = new TempDirectory();
        await using var host = await StartWithPushesAsync(dir, pushes: 6);

        var (code, output, error) = await LeapCliProcess.RunAsync(Timeout, "stats", "--service", Service(host), "--json");

        Assert.True(code == 0, $"exit {code}\n{output}\n{error}");
        var expected = host.Store.GetSummary(new SummaryOptions());
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.True(root.GetProperty("initialised").GetBoolean());
        Assert.Equal(30, root.GetProperty("classCount").GetInt32());
        Assert.Equal("Vanilla", root.GetProperty("variant").GetString());
        Assert.Equal(4, root.GetProperty("headThreshold").GetInt32());
        Assert.Equal(expected.HeadClasses, root.GetProperty("headClasses").GetInt32());
        Assert.Equal(expected.TailClasses, root.GetProperty("tailClasses").GetInt32());
        Assert.Equal(expected.CloudClasses, root.GetProperty("cloudClasses").GetInt32());
        Assert.Equal(6, root.GetProperty("pushes").GetInt64());
        Assert.Equal(5, root.GetProperty("lastStep").GetInt64());
        Assert.Equal(expected.Version, root.GetProperty("version").GetInt64());
        AssertNumber(expected.OverallVariance, root.GetProperty("overallVariance"), "overall sigma^2");
        Assert.Equal(expected.Tail.Seen, root.GetProperty("tail").GetProperty("seen").GetInt32());
        AssertNumber(expected.Tail.Mean, root.GetProperty("tail").GetProperty("mean"), "tail mean sigma_i^2");
        AssertNumber(expected.Head.Max, root.GetProperty("head").GetProperty("max"), "head max sigma_i^2");
        var histogram = root.GetProperty("histogram");
        Assert.Equal(expected.HistogramCounts, histogram.GetProperty("counts").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(expected.HistogramEdges, histogram.GetProperty("edges").EnumerateArray().Select(e => e.GetDouble()));
        host.Log.AssertNoErrors();
    }

    [Fact]
    public async Task Stats_JsonClasses_EqualStoreClassStatistics()
    {
        using var dir = new TempDirectory();
        await using var host = await StartWithPushesAsync(dir, pushes: 6);

        var (code, output, error) = await LeapCliProcess.RunAsync(Timeout, "stats", "--service", Service(host), "--json",
            "--class", "0", "--class", "12", "--class", "29");

        Assert.True(code == 0, $"exit {code}\n{output}\n{error}");
        var expected = host.Store.GetClassStatistics([0, 12, 29]);
        using var json = JsonDocument.Parse(output);
        AssertNumber(expected.OverallVariance, json.RootElement.GetProperty("overallVariance"), "overall sigma^2");
        var classes = json.RootElement.GetProperty("classes").EnumerateArray().ToArray();
        Assert.Equal(3, classes.Length);
        for (int i = 0; i < 3; i++)
        {
            var (want, got) = (expected.Classes[i], classes[i]);
            Assert.Equal(want.ClassId, got.GetProperty("classId").GetInt32());
            Assert.Equal(want.Samples, got.GetProperty("samples").GetInt32());
            Assert.Equal(want.Head, got.GetProperty("head").GetBoolean());
            Assert.Equal(want.AngleCount, got.GetProperty("angleCount").GetInt32());
            Assert.Equal(want.AngleCapacity, got.GetProperty("angleCapacity").GetInt32());
            Assert.Equal(want.Cloud, got.GetProperty("cloud").GetBoolean());
            Assert.Equal(want.CentreInitialised, got.GetProperty("centreInitialised").GetBoolean());
            AssertNumber(want.MeanAngle, got.GetProperty("meanAngle"), $"mu_{want.ClassId}");
            AssertNumber(want.Variance, got.GetProperty("variance"), $"sigma_{want.ClassId}^2");
            AssertNumber(want.AlphaStd, got.GetProperty("alphaStd"), $"alpha std of class {want.ClassId}");
        }
        Assert.Equal([8, 3, 3], classes.Select(c => c.GetProperty("samples").GetInt32()));
        host.Log.AssertNoErrors();
    }

    [Fact]
    public async Task Stats_SummaryTable_ShowsCountsVariantAndHistogram()
    {
        using var dir = new TempDirectory();
        await using var host = await StartWithPushesAsync(dir, pushes: 6);

        var (code, output, error) = await LeapCliProcess.RunAsync(Timeout, "stats", "--service", Service(host), "--bins", "5");

        Assert.True(code == 0, $"exit {code}\n{output}\n{error}");
        string[] lines = output.Split('\n');
        Assert.Contains(lines, l => l.Contains("head classes (K_i > T = 4)", StringComparison.Ordinal) && l.Contains(" 10 ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("tail classes", StringComparison.Ordinal) && l.Contains(" 20 ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("LEAP variant", StringComparison.Ordinal) && l.Contains("Vanilla", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("steps per push (refresh interval)", StringComparison.Ordinal) && l.Contains(" 1 ", StringComparison.Ordinal));
        Assert.Contains("σ_i² histogram", output, StringComparison.Ordinal);
        Assert.Equal(5, lines.Count(l => l.TrimStart().StartsWith('[')));
    }

    [Fact]
    public async Task Stats_UnknownClassId_ExitsTwoNamingTheId()
    {
        using var dir = new TempDirectory();
        await using var host = await StartWithPushesAsync(dir, pushes: 1);

        var (code, output, error) = await LeapCliProcess.RunAsync(Timeout, "stats", "--service", Service(host), "--class", "3", "--class", "30");

        Assert.True(code == 2, $"exit {code}\n{output}\n{error}");
        Assert.Contains("unknown class id 30", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_NothingListening_ExitsOneNamingAddressWithinSeconds()
    {
        string address = $"127.0.0.1:{UnusedPort().ToString(CultureInfo.InvariantCulture)}";
        var clock = Stopwatch.StartNew();

        var (code, output, error) = await LeapCliProcess.RunAsync(Timeout, "stats", "--service", address, "--timeout", "3");

        Assert.True(code == 1, $"exit {code}\n{output}\n{error}");
        Assert.Contains($"cannot reach the centre service at {address}", error, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed} (process start included)");
    }

    [Fact]
    public async Task Stats_ServiceNeverAnswers_ExitsOneAfterTimeoutNamingAddress()
    {
        // Accepts TCP connections (the kernel's backlog) but never speaks HTTP/2: only the deadline ends the call.
        var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        try
        {
            string address = $"127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture)}";

            var (code, output, error) = await LeapCliProcess.RunAsync(Timeout, "stats", "--service", address, "--timeout", "2");

            Assert.True(code == 1, $"exit {code}\n{output}\n{error}");
            Assert.Contains($"the centre service at {address} did not answer within 2 s", error, StringComparison.Ordinal);
        }
        finally
        {
            silent.Stop();
        }
    }

    [Fact]
    public async Task Stats_WatchJson_PrintsNewSummaryAfterEachPush()
    {
        using var dir = new TempDirectory();
        await using var host = await StartWithPushesAsync(dir, pushes: 2);
        var more = TestData.Batches(seed: 12, count: 1, rows: 24, 16, 0, 30);
        await using var watch = LeapCliProcess.Start("stats", "--service", Service(host), "--watch", "--json");

        using (var first = JsonDocument.Parse(await watch.ReadLineAsync(Timeout)))
        {
            Assert.Equal(2, first.RootElement.GetProperty("pushes").GetInt64());
        }
        await host.Client.PushAsync(more[0].ToRequest(step: 2)).WaitAsync(Timeout);
        using var second = JsonDocument.Parse(await watch.ReadLineAsync(Timeout));

        Assert.Equal(3, second.RootElement.GetProperty("pushes").GetInt64());
        Assert.Equal(host.Store.Version, second.RootElement.GetProperty("version").GetInt64());
        AssertNumber(host.Store.GetSummary(new SummaryOptions()).OverallVariance, second.RootElement.GetProperty("overallVariance"), "overall sigma^2");
        host.Log.AssertNoErrors();
    }

    [Theory]
    [InlineData(true, "KILL")]
    [InlineData(false, "KILL")]
    [InlineData(true, "TERM")]
    [InlineData(false, "TERM")]
    public async Task Stats_WatchServiceStops_ExitsOneSayingItStoppedAnswering(bool json, string signal)
    {
        using var dir = new TempDirectory();
        await using var service = await CentreServiceProcess.StartAsync(dir.Path, Timeout);
        using (var channel = Grpc.Net.Client.GrpcChannel.ForAddress(service.Address))
        {
            var client = new Leap.CentreService.Client.CentreServiceClient(TestAuth.Security.CallInvoker(channel), maxRetries: 0, attemptTimeout: Timeout);
            await client.InitialiseAsync(TestData.SmallLayout()).WaitAsync(Timeout);
        }
        string authority = new Uri(service.Address).Authority;
        await using var watch = LeapCliProcess.Start(["stats", "--service", authority, "--watch", "--timeout", "2", .. json ? new[] { "--json" } : []]);
        if (json)
        {
            await watch.ReadLineAsync(Timeout);
        }
        else
        {
            await watch.ReadLineAsync(Timeout); // the live table's first line
        }

        if (signal == "KILL")
        {
            await service.KillAsync(Timeout);
        }
        else
        {
            using var kill = Process.Start("kill", ["-" + signal, service.ProcessId.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync().WaitAsync(Timeout);
        }
        int code = await watch.WaitForExitAsync(Timeout);

        Assert.True(code == 1, $"exit {code}\n{watch.Transcript()}");
        Assert.True(watch.ErrorText.Contains($"error: the centre service at {authority} stopped answering", StringComparison.Ordinal), watch.Transcript());
        Assert.DoesNotContain("   at ", watch.ErrorText, StringComparison.Ordinal);
        Assert.DoesNotContain("HttpProtocolException", watch.ErrorText, StringComparison.Ordinal);
    }

    /// <summary>SmallLayout (10 head, 20 tail classes, D = 16) with <paramref name="pushes"/> pushes of 24 rows applied.</summary>
    private static async Task<KestrelCentreHost> StartWithPushesAsync(TempDirectory dir, int pushes)
    {
        var layout = TestData.SmallLayout();
        var host = await KestrelCentreHost.StartAsync(dir.Path, layout);
        var batches = TestData.Batches(seed: 11, count: pushes, rows: 24, layout.Dimension, 0, layout.ClassCount);
        for (int step = 0; step < pushes; step++)
        {
            await host.Client.PushAsync(batches[step].ToRequest(step)).WaitAsync(Timeout);
        }
        return host;
    }

    private static string Service(KestrelCentreHost host) => new Uri(host.Address).Authority;

    private static int UnusedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
