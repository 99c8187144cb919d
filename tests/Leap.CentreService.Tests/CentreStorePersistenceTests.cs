using Leap.CentreService.Persistence;
using Leap.CentreService.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Leap.CentreService.Tests;

/// <summary>Unit tests of the store's log and snapshots (the store used directly, reopened on the same directory).</summary>
public sealed class CentreStorePersistenceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Open_AfterSnapshotAndMoreLoggedPushes_RestoresEveryPushAndForgetsOldSegments()
    {
        using var dir = new TempDirectory();
        var layout = TestData.SmallLayout();
        var batches = TestData.Batches(seed: 11, count: 6, rows: 10, layout.Dimension, 0, layout.ClassCount);
        var log = new CollectingLoggerProvider();
        using (var store = NewStore(dir.Path, layout, log))
        {
            store.Open();
            for (int i = 0; i < 3; i++)
            {
                await store.PushAsync(batches[i].ToPush(i, $"id-{i}")).WaitAsync(Timeout);
            }
            await store.SnapshotAsync().WaitAsync(Timeout);
            for (int i = 3; i < 6; i++)
            {
                await store.PushAsync(batches[i].ToPush(i, $"id-{i}")).WaitAsync(Timeout);
            }
        }
        using var reopened = NewStore(dir.Path, layout, log);
        reopened.Open();

        AssertEqualsTracker(reopened, layout, batches);
        Assert.DoesNotContain(1L, PushLog.ListSegments(dir.Path));
        var retried = await reopened.PushAsync(batches[1].ToPush(1, "id-1")).WaitAsync(Timeout);
        Assert.True(retried.Duplicate);
        Assert.Equal(6, reopened.Pushes);
        log.AssertNoErrors();
    }

    [Theory]
    [InlineData("cut")]
    [InlineData("zero-sectors")]
    public async Task Open_TornLastRecord_DropsItWithWarningAndKeepsEarlierPushes(string damage)
    {
        using var dir = new TempDirectory();
        var layout = TestData.SmallLayout();
        var batches = TestData.Batches(seed: 13, count: 5, rows: 10, layout.Dimension, 0, layout.ClassCount);
        var log = new CollectingLoggerProvider();
        using (var store = NewStore(dir.Path, layout, log))
        {
            store.Open();
            for (int i = 0; i < 4; i++)
            {
                await store.PushAsync(batches[i].ToPush(i)).WaitAsync(Timeout);
            }
        }
        string segment = PushLog.SegmentPath(dir.Path, PushLog.ListSegments(dir.Path).Max());
        byte[] record = PushRecordCodec.Encode(99, batches[4].ToPush(4));
        if (damage == "zero-sectors")
        {
            // Power loss after the file was extended but before its last blocks were written: whole zero sectors at the end.
            long start = new FileInfo(segment).Length;
            long zeroFrom = ((start + 8 + 511) / 512 * 512) - start;
            Array.Clear(record, (int)zeroFrom, record.Length - (int)zeroFrom);
        }
        else
        {
            record = record[..(record.Length / 2)];
        }
        using (var file = new FileStream(segment, FileMode.Append))
        {
            file.Write(record);
        }

        using var reopened = NewStore(dir.Path, layout, log);
        reopened.Open();

        AssertEqualsTracker(reopened, layout, batches[..4]);
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Warning && e.Id.Id == 302 && e.Message.Contains("torn tail", StringComparison.Ordinal));
        Assert.Equal(4, reopened.Pushes);
        log.AssertNoErrors();
    }

    [Fact]
    public async Task Open_ConfiguredLayoutDiffersFromStored_ThrowsNamingTheKey()
    {
        using var dir = new TempDirectory();
        var log = new CollectingLoggerProvider();
        using (var store = NewStore(dir.Path, TestData.SmallLayout(), log))
        {
            store.Open();
            await store.PushAsync(TestData.Batches(1, 1, 4, 16, 0, 30)[0].ToPush(0)).WaitAsync(Timeout);
        }
        using var other = NewStore(dir.Path, TestData.SmallLayout(dimension: 8), log);
        var error = Assert.Throws<InvalidOperationException>(other.Open);
        Assert.Contains("CentreService:SamplesPerClass", error.Message, StringComparison.Ordinal);
        Assert.Contains("dimension 8 differs from the held 16", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_LayoutOfRefreshInterval5_ReportsTheIntervalAfterARestartAndRefusesAnother()
    {
        using var dir = new TempDirectory();
        var log = new CollectingLoggerProvider();
        var small = TestData.SmallLayout();
        var layout = new CentreLayout(small.SamplesPerClass, small.Dimension, small.Settings with { RefreshInterval = 5 });
        using (var store = NewStore(dir.Path, layout, log))
        {
            store.Open();
            await store.PushAsync(TestData.Batches(1, 1, 4, 16, 0, 30)[0].ToPush(4)).WaitAsync(Timeout);
        }

        using (var reopened = NewStore(dir.Path, layout: null, log))
        {
            reopened.Open();
            Assert.Equal(5, reopened.Layout!.Settings.RefreshInterval);
        }
        using var other = NewStore(dir.Path, new CentreLayout(small.SamplesPerClass, small.Dimension, small.Settings with { RefreshInterval = 1 }), log);
        var error = Assert.Throws<InvalidOperationException>(other.Open);
        Assert.Contains("RefreshInterval = 5", error.Message, StringComparison.Ordinal);
        Assert.Contains(log.Entries, e => e.Message.Contains("RefreshInterval = 5", StringComparison.Ordinal));
    }

    internal static CentreStore NewStore(string directory, CentreLayout? layout, CollectingLoggerProvider log, int partitions = 4, long maxStateBytes = 8L << 30)
    {
        var options = new CentreServiceOptions { StateDirectory = directory, Partitions = partitions, MaxStateBytes = maxStateBytes };
        if (layout is not null)
        {
            options.SamplesPerClass = layout.SamplesPerClass.ToArray();
            options.Dimension = layout.Dimension;
            options.Variant = layout.Settings.Variant;
            options.HeadThreshold = layout.Settings.HeadThreshold;
            options.CentreLearningRate = layout.Settings.CentreLearningRate;
            options.UpdateRule = layout.Settings.UpdateRule;
            options.MemoryMultiplier = layout.Settings.MemoryMultiplier;
            options.RefreshInterval = layout.Settings.RefreshInterval;
        }
        using var factory = LoggerFactory.Create(b => b.AddProvider(log));
        return new CentreStore(Options.Create(options), factory.CreateLogger<CentreStore>());
    }

    internal static void AssertEqualsTracker(CentreStore store, CentreLayout layout, Batch[] batches)
    {
        using var tracker = TestData.Tracker(layout);
        for (int i = 0; i < batches.Length; i++)
        {
            batches[i].FeedTo(tracker, i);
        }
        TestData.AssertEqual(tracker, store.GetCloudStatistics([]), store.GetCentres([]));
    }
}
