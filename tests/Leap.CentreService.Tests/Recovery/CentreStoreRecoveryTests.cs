using Leap.CentreService.Persistence;
using Leap.CentreService.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Leap.CentreService.Tests.Recovery;

/// <summary>
/// The recovery contract of the centre store's log and snapshots, one test per finding of the hardening review
/// (#13 findings 3, 6 to 10): what is survived, what is refused (naming the file) and that nothing acknowledged is lost.
/// </summary>
public sealed class CentreStoreRecoveryTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void Initialise_LayoutBeyondMaxStateBytes_IsRefusedAndLeavesNothingOnDisk()
    {
        using var dir = new TempDirectory();
        var log = new CollectingLoggerProvider();
        var huge = new CentreLayout(Enumerable.Repeat(4, 4096).ToArray(), 4096, TestData.SmallLayout().Settings);
        using (var store = CentreStorePersistenceTests.NewStore(dir.Path, layout: null, log, maxStateBytes: 8 << 20))
        {
            store.Open();
            var error = Assert.Throws<CentreStoreException>(() => store.Initialise(huge));
            Assert.Equal(CentreStoreError.InvalidArgument, error.Error);
            Assert.Contains("CentreService:MaxStateBytes", error.Message, StringComparison.Ordinal);
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));

        using var restarted = CentreStorePersistenceTests.NewStore(dir.Path, layout: null, log, maxStateBytes: 8 << 20);
        restarted.Open();
        Assert.True(restarted.Initialise(TestData.SmallLayout()).Created);
    }

    [Fact]
    public void Open_NewStateDirectory_IsCreatedOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        using var parent = new TempDirectory();
        string dir = Path.Combine(parent.Path, "state");
        using var store = CentreStorePersistenceTests.NewStore(dir, TestData.SmallLayout(), new CollectingLoggerProvider());
        store.Open();

        const UnixFileMode all = (UnixFileMode)0b111_111_111;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir) & all);
    }

    [Fact]
    public async Task Open_BitFlipInTheMiddleOfTheNewestSegment_RefusesNamingFileAndOffset()
    {
        using var dir = new TempDirectory();
        var (layout, _) = await PushAll(dir.Path, count: 6);
        string segment = SegmentFile.Newest(dir.Path);
        var third = SegmentFile.Records(segment)[2];
        SegmentFile.FlipBit(segment, third.Offset + 40, bit: 3);

        using var reopened = CentreStorePersistenceTests.NewStore(dir.Path, layout, new CollectingLoggerProvider());
        var error = Assert.Throws<InvalidDataException>(reopened.Open);

        Assert.Contains(segment, error.Message, StringComparison.Ordinal);
        Assert.Contains($"at byte {third.Offset}", error.Message, StringComparison.Ordinal);
        Assert.Equal(6, SegmentFile.Records(segment).Count);
    }

    [Fact]
    public async Task Open_ZerosAtTheLogTail_DropsThemAndKeepsEveryPush()
    {
        using var dir = new TempDirectory();
        var (layout, batches) = await PushAll(dir.Path, count: 5);
        string segment = SegmentFile.Newest(dir.Path);
        long before = new FileInfo(segment).Length;
        SegmentFile.Append(segment, new byte[4096]);
        var log = new CollectingLoggerProvider();

        using var reopened = CentreStorePersistenceTests.NewStore(dir.Path, layout, log);
        reopened.Open();

        CentreStorePersistenceTests.AssertEqualsTracker(reopened, layout, batches);
        Assert.Equal(5, reopened.Pushes);
        Assert.Equal(before, new FileInfo(segment).Length);
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Warning && e.Id.Id == 302);
    }

    [Fact]
    public async Task Open_SnapshotDeleted_RefusesNamingTheSnapshot()
    {
        using var dir = new TempDirectory();
        var (layout, _) = await PushAll(dir.Path, count: 6, snapshotAfter: 3);
        File.Delete(Path.Combine(dir.Path, StoreSnapshot.FileName));

        using var reopened = CentreStorePersistenceTests.NewStore(dir.Path, layout, new CollectingLoggerProvider());
        var error = Assert.Throws<InvalidDataException>(reopened.Open);

        Assert.Contains(Path.Combine(dir.Path, StoreSnapshot.FileName), error.Message, StringComparison.Ordinal);
        Assert.Contains("is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_SegmentMissingBetweenOthers_RefusesNamingIt()
    {
        using var dir = new TempDirectory();
        var (layout, batches) = await PushAll(dir.Path, count: 2);
        await PushMore(dir.Path, layout, batches.Length, count: 2);
        await PushMore(dir.Path, layout, batches.Length + 2, count: 2);
        long[] segments = PushLog.ListSegments(dir.Path);
        string middle = PushLog.SegmentPath(dir.Path, segments[^2]);
        File.Delete(middle);

        using var reopened = CentreStorePersistenceTests.NewStore(dir.Path, layout, new CollectingLoggerProvider());
        var error = Assert.Throws<InvalidDataException>(reopened.Open);

        Assert.Contains(middle, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public async Task Open_AcknowledgedSegmentCutBelowItsHeader_RefusesNamingIt(int keptBytes)
    {
        using var dir = new TempDirectory();
        var (layout, batches) = await PushAll(dir.Path, count: 2);
        await PushMore(dir.Path, layout, batches.Length, count: 2);
        await PushMore(dir.Path, layout, batches.Length + 2, count: 2);
        long[] segments = PushLog.ListSegments(dir.Path);
        string middle = PushLog.SegmentPath(dir.Path, segments[^2]);
        Assert.NotEmpty(SegmentFile.Records(middle));
        File.WriteAllBytes(middle, File.ReadAllBytes(middle)[..keptBytes]);

        using var reopened = CentreStorePersistenceTests.NewStore(dir.Path, layout, new CollectingLoggerProvider());
        var error = Assert.Throws<InvalidDataException>(reopened.Open);

        Assert.Contains(middle, error.Message, StringComparison.Ordinal);
        Assert.Contains("had been acknowledged", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(5)]
    [InlineData(0)]
    public async Task Open_KilledDuringRecoveryAfterATornTail_RecoversOnTheNextStart(int newSegmentBytes)
    {
        using var dir = new TempDirectory();
        var (layout, batches) = await PushAll(dir.Path, count: 4);
        string torn = SegmentFile.Newest(dir.Path);
        byte[] record = PushRecordCodec.Encode(99, TestData.Batches(seed: 5, count: 1, rows: 10, layout.Dimension, 0, layout.ClassCount)[0].ToPush(99));
        SegmentFile.Append(torn, record.AsSpan(0, record.Length / 3));
        // What a recovery killed after opening its new segment (before the torn tail was cut) leaves behind: a newer
        // segment with a whole header (12 bytes), a partial one, or none at all.
        long next = PushLog.ListSegments(dir.Path).Max() + 1;
        byte[] header = File.ReadAllBytes(torn)[..PushLog.SegmentHeaderBytes];
        File.WriteAllBytes(PushLog.SegmentPath(dir.Path, next), header[..newSegmentBytes]);

        var log = new CollectingLoggerProvider();
        using (var reopened = CentreStorePersistenceTests.NewStore(dir.Path, layout, log))
        {
            reopened.Open();
            CentreStorePersistenceTests.AssertEqualsTracker(reopened, layout, batches);
            await reopened.PushAsync(TestData.Batches(seed: 6, count: 1, rows: 10, layout.Dimension, 0, layout.ClassCount)[0].ToPush(4)).WaitAsync(Timeout);
        }
        using var again = CentreStorePersistenceTests.NewStore(dir.Path, layout, log);
        again.Open();
        Assert.Equal(5, again.Pushes);
        log.AssertNoErrors();
    }

    [Fact]
    public async Task Open_DuplicatedLogRecord_IsAppliedOnce()
    {
        using var dir = new TempDirectory();
        var (layout, batches) = await PushAll(dir.Path, count: 5);
        string segment = SegmentFile.Newest(dir.Path);
        var second = SegmentFile.Records(segment)[1];
        byte[] bytes = File.ReadAllBytes(segment);
        SegmentFile.Append(segment, bytes.AsSpan(second.Offset, second.Length));
        var log = new CollectingLoggerProvider();

        using var reopened = CentreStorePersistenceTests.NewStore(dir.Path, layout, log);
        reopened.Open();

        CentreStorePersistenceTests.AssertEqualsTracker(reopened, layout, batches);
        Assert.Equal(5, reopened.Pushes);
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Warning && e.Id.Id == 304);
    }

    /// <summary>Pushes <paramref name="count"/> batches (each acknowledged) into a fresh store, optionally snapshotting after some.</summary>
    internal static async Task<(CentreLayout Layout, Batch[] Batches)> PushAll(string directory, int count, int snapshotAfter = -1, int seed = 17, int rows = 10)
    {
        var layout = TestData.SmallLayout();
        var batches = TestData.Batches(seed, count, rows, layout.Dimension, 0, layout.ClassCount);
        using var store = CentreStorePersistenceTests.NewStore(directory, layout, new CollectingLoggerProvider());
        store.Open();
        for (int i = 0; i < count; i++)
        {
            if (i == snapshotAfter)
            {
                await store.SnapshotAsync().WaitAsync(Timeout);
            }
            await store.PushAsync(batches[i].ToPush(i, $"push-{i}")).WaitAsync(Timeout);
        }
        return (layout, batches);
    }

    private static async Task PushMore(string directory, CentreLayout layout, int firstStep, int count)
    {
        var batches = TestData.Batches(seed: 100 + firstStep, count, rows: 10, layout.Dimension, 0, layout.ClassCount);
        using var store = CentreStorePersistenceTests.NewStore(directory, layout, new CollectingLoggerProvider());
        store.Open();
        for (int i = 0; i < count; i++)
        {
            await store.PushAsync(batches[i].ToPush(firstStep + i, $"push-{firstStep + i}")).WaitAsync(Timeout);
        }
    }
}
