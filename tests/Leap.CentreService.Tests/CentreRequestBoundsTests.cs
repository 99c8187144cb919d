using Grpc.Core;
using Leap.CentreService.Tests.Support;
using Leap.Contracts.V1;

namespace Leap.CentreService.Tests;

/// <summary>Size and count fields of the read requests are bounded: out of range is INVALID_ARGUMENT naming the field and range.</summary>
public sealed class CentreRequestBoundsTests
{
    private static readonly TimeSpan Timeout = KestrelCentreHost.Timeout;

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(100_000_000)]
    [InlineData(SummaryOptions.MaxBins + 1)]
    [InlineData(-1)]
    public async Task GetSummary_HistogramBinsOutOfRange_InvalidArgumentNamingFieldAndRange(int bins)
    {
        using var dir = new TempDirectory();
        await using var host = await KestrelCentreHost.StartAsync(dir.Path, TestData.SmallLayout());

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.GetSummaryAsync(new SummaryRequest { HistogramBins = bins }).WaitAsync(Timeout));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal($"histogram_bins must be 0 (the service default) or between 1 and 4096 (was {bins}).", error.Status.Detail);
        host.Log.AssertNoErrors();
    }

    [Fact]
    public async Task GetSummary_MaxBins_Answers()
    {
        using var dir = new TempDirectory();
        await using var host = await KestrelCentreHost.StartAsync(dir.Path, TestData.SmallLayout());

        var summary = await host.Client.GetSummaryAsync(new SummaryRequest { HistogramBins = SummaryOptions.MaxBins }).WaitAsync(Timeout);

        Assert.Equal(SummaryOptions.MaxBins, summary.HistogramCounts.Count);
    }

    [Fact]
    public async Task WatchSummary_HistogramBinsOutOfRange_InvalidArgument()
    {
        using var dir = new TempDirectory();
        await using var host = await KestrelCentreHost.StartAsync(dir.Path, TestData.SmallLayout());
        using var cancel = new CancellationTokenSource(Timeout);
        using var watch = host.Client.Raw.WatchSummary(
            new WatchSummaryRequest { Summary = new SummaryRequest { HistogramBins = int.MaxValue } }, cancellationToken: cancel.Token);

        var error = await Assert.ThrowsAsync<RpcException>(() => watch.ResponseStream.MoveNext(cancel.Token).WaitAsync(Timeout));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("histogram_bins must be 0 (the service default) or between 1 and 4096", error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN, null, "histogram_min must be finite (was NaN).")]
    [InlineData(null, double.PositiveInfinity, "histogram_max must be finite (was Infinity).")]
    public async Task GetSummary_NonFiniteHistogramRange_InvalidArgument(double? min, double? max, string expected)
    {
        using var dir = new TempDirectory();
        await using var host = await KestrelCentreHost.StartAsync(dir.Path, TestData.SmallLayout());
        var request = new SummaryRequest();
        if (min is { } lo)
        {
            request.HistogramMin = lo;
        }
        if (max is { } hi)
        {
            request.HistogramMax = hi;
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.GetSummaryAsync(request).WaitAsync(Timeout));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(expected, error.Status.Detail);
    }

    [Theory]
    [InlineData("GetCloudStatistics")]
    [InlineData("GetClassStatistics")]
    [InlineData("GetCentres")]
    public async Task ClassIdQuery_MoreIdsThanClasses_InvalidArgumentNamingLimit(string method)
    {
        using var dir = new TempDirectory();
        await using var host = await KestrelCentreHost.StartAsync(dir.Path, TestData.SmallLayout());
        int[] ids = Enumerable.Repeat(3, 31).ToArray();

        var error = await Assert.ThrowsAsync<RpcException>(() => (method switch
        {
            "GetCloudStatistics" => host.Client.Raw.GetCloudStatisticsAsync(new CloudStatisticsRequest { ClassIds = { ids } }).ResponseAsync,
            "GetClassStatistics" => host.Client.Raw.GetClassStatisticsAsync(new ClassStatisticsRequest { ClassIds = { ids } }).ResponseAsync,
            _ => (Task)host.Client.Raw.GetCentresAsync(new CentresRequest { ClassIds = { ids } }).ResponseAsync,
        }).WaitAsync(Timeout));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("class_ids may list at most C = 30 ids (was 31); send none for all classes.", error.Status.Detail);
        var thirty = await host.Client.Raw.GetCentresAsync(new CentresRequest { ClassIds = { ids[..30] } }).ResponseAsync.WaitAsync(Timeout);
        Assert.Equal(30, thirty.ClassIds.Count);
    }
}
