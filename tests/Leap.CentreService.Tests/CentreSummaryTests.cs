using Grpc.Core;
using Leap.CentreService.Tests.Support;
using Leap.Contracts.V1;
using Microsoft.Extensions.Time.Testing;

namespace Leap.CentreService.Tests;

public sealed class CentreSummaryTests
{
    private static readonly TimeSpan Timeout = KestrelCentreHost.Timeout;

    [Fact]
    public async Task GetSummary_AfterPushes_CountsHeadTailCloudAndHistogramOfSeenClasses()
    {
        using var dir = new TempDirectory();
        var layout = TestData.SmallLayout();
        await using var host = await KestrelCentreHost.StartAsync(dir.Path, layout);
        using var tracker = TestData.Tracker(layout);
        var batches = TestData.Batches(seed: 21, count: 20, rows: 12, layout.Dimension, 0, layout.ClassCount);
        for (int i = 0; i < batches.Length; i++)
        {
            await host.Client.PushAsync(batches[i].ToRequest(i)).WaitAsync(Timeout);
            batches[i].FeedTo(tracker, i);
        }

        var summary = await host.Client.GetSummaryAsync(new SummaryRequest { HistogramBins = 5 }).WaitAsync(Timeout);

        var stats = tracker.Statistics;
        var seen = Enumerable.Range(0, 30).Where(c => tracker.Memory.HasStatistics(c)).ToArray();
        Assert.Equal(10, summary.HeadClasses);
        Assert.Equal(20, summary.TailClasses);
        Assert.Equal(stats.CloudClassCount(), summary.CloudClasses);
        Assert.Equal(stats.OverallVariance, summary.OverallVariance, 12);
        Assert.Equal(seen.Count(c => c < 10), summary.Head.Seen);
        Assert.Equal(seen.Count(c => c >= 10), summary.Tail.Seen);
        Assert.Equal(6, summary.HistogramEdges.Count);
        Assert.Equal(seen.Length, summary.HistogramCounts.Sum());
        Assert.Equal(seen.Min(stats.ClassVariance), summary.HistogramEdges[0], 12);
        Assert.Equal(seen.Max(stats.ClassVariance), summary.HistogramEdges[^1], 12);
        Assert.Equal(20, summary.Pushes);
        Assert.Equal(20, summary.Version);
    }

    [Fact]
    public void Histogram_ValuesOnEdgesAndOutside_LastBinClosedOutsideDropped()
    {
        var (edges, counts) = CloudSummary.Histogram([0.0, 0.25, 0.5, 0.99, 1.0, 1.5, -0.1], bins: 4, lo: 0, hi: 1);
        Assert.Equal([0.0, 0.25, 0.5, 0.75, 1.0], edges);
        Assert.Equal([1L, 1L, 1L, 2L], counts);
    }

    [Fact]
    public async Task WatchSummary_PushAfterSubscribe_NextSummaryOnlyAfterThrottleInterval()
    {
        using var dir = new TempDirectory();
        var layout = TestData.SmallLayout();
        var time = new SignallingTimeProvider();
        await using var host = await KestrelCentreHost.StartAsync(dir.Path, layout, time: time);
        using var cancel = new CancellationTokenSource(Timeout);
        using var watch = host.Client.Raw.WatchSummary(new WatchSummaryRequest { MinIntervalMs = 1000 }, cancellationToken: cancel.Token);
        var stream = watch.ResponseStream;

        Assert.True(await stream.MoveNext(cancel.Token).WaitAsync(Timeout), "expected the current summary at once");
        Assert.Equal(0, stream.Current.Version);
        await host.Client.PushAsync(TestData.Batches(2, 1, 8, layout.Dimension, 0, 30)[0].ToRequest(0)).WaitAsync(Timeout);
        await time.ShortTimerCreated.WaitAsync(Timeout);
        var next = stream.MoveNext(cancel.Token);
        Assert.False(next.IsCompleted, "a summary arrived before the 1 s throttle interval passed");
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(await next.WaitAsync(Timeout), "expected a summary after the interval");
        Assert.Equal(1, stream.Current.Version);
        Assert.Equal(1, stream.Current.Pushes);
        await cancel.CancelAsync();
    }

    [Fact]
    public async Task WatchSummary_NoUpdates_SendsNothingAfterFirstSummary()
    {
        using var dir = new TempDirectory();
        var layout = TestData.SmallLayout();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        await using var host = await KestrelCentreHost.StartAsync(dir.Path, layout, time: time);
        using var cancel = new CancellationTokenSource(Timeout);
        using var watch = host.Client.Raw.WatchSummary(new WatchSummaryRequest { MinIntervalMs = 100 }, cancellationToken: cancel.Token);
        Assert.True(await watch.ResponseStream.MoveNext(cancel.Token).WaitAsync(Timeout));
        time.Advance(TimeSpan.FromSeconds(10));
        var next = watch.ResponseStream.MoveNext(cancel.Token);
        await host.Client.GetSummaryAsync().WaitAsync(Timeout);
        Assert.False(next.IsCompleted, "a summary was sent without any update");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<RpcException>(() => next.WaitAsync(Timeout));
    }
}

/// <summary>A fake clock that signals each time a timer of at most a minute is created (the watch throttle's delay).</summary>
internal sealed class SignallingTimeProvider() : FakeTimeProvider(DateTimeOffset.UnixEpoch)
{
    private readonly SemaphoreSlim _shortTimers = new(0);

    public Task ShortTimerCreated => _shortTimers.WaitAsync();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime > TimeSpan.Zero && dueTime <= TimeSpan.FromMinutes(1))
        {
            _shortTimers.Release();
        }
        return timer;
    }
}
