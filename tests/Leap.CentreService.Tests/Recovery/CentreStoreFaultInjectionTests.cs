using Leap.CentreService.Persistence;
using Leap.CentreService.Tests.Support;

namespace Leap.CentreService.Tests.Recovery;

/// <summary>
/// Seeded random crash and corruption points applied to a real state directory after every push was acknowledged.
/// Each start either recovers exactly the acknowledged pushes (each applied once) or refuses with a message that
/// names the damaged file; a crash-like fault (torn or zero-filled tail, empty newer segment, duplicated record)
/// must always recover.
/// </summary>
public sealed class CentreStoreFaultInjectionTests
{
    private enum Fault
    {
        TornTail,
        ZeroTail,
        EmptyNewerSegment,
        DuplicatedRecord,
        RecordBitFlip,
        SegmentHeaderBitFlip,
        SnapshotBitFlip,
        SnapshotDeleted,
        LayoutBitFlip,
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 27)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Open_AfterSeededFault_RecoversEveryAcknowledgedPushOnceOrRefusesNamingTheFile(int seed)
    {
        var random = new Random(seed);
        var fault = (Fault)((seed - 1) % Enum.GetValues<Fault>().Length);
        using var dir = new TempDirectory();
        int count = random.Next(4, 12);
        int snapshotAfter = fault is Fault.SnapshotBitFlip or Fault.SnapshotDeleted || random.Next(2) == 0 ? random.Next(1, count) : -1;
        var (layout, batches) = await CentreStoreRecoveryTests.PushAll(dir.Path, count, snapshotAfter, seed, rows: random.Next(4, 40));

        string? damaged = Inject(fault, dir.Path, layout, random);

        var log = new CollectingLoggerProvider();
        using var reopened = CentreStorePersistenceTests.NewStore(dir.Path, layout, log);
        if (damaged is null)
        {
            reopened.Open();
            CentreStorePersistenceTests.AssertEqualsTracker(reopened, layout, batches);
            Assert.Equal(count, reopened.Pushes);
            log.AssertNoErrors();
            return;
        }
        var error = Assert.ThrowsAny<Exception>(reopened.Open);
        Assert.True(error is InvalidDataException or InvalidOperationException, $"{fault}: {error}");
        Assert.Contains(damaged, error.Message, StringComparison.Ordinal);
    }

    /// <summary>Applies the fault; returns the file a start must name in its refusal, or null when the start must succeed.</summary>
    private static string? Inject(Fault fault, string directory, CentreLayout layout, Random random)
    {
        string newest = SegmentFile.Newest(directory);
        var records = SegmentFile.Records(newest);
        switch (fault)
        {
            case Fault.TornTail:
            {
                byte[] record = PushRecordCodec.Encode(1000, TestData.Batches(random.Next(), 1, 16, layout.Dimension, 0, layout.ClassCount)[0].ToPush(1000));
                SegmentFile.Append(newest, record.AsSpan(0, random.Next(1, record.Length)));
                return null;
            }
            case Fault.ZeroTail:
                SegmentFile.Append(newest, new byte[random.Next(1, 8193)]);
                return null;
            case Fault.EmptyNewerSegment:
            {
                SegmentFile.Append(newest, new byte[random.Next(0, 100)]);
                long next = PushLog.ListSegments(directory).Max() + 1;
                File.WriteAllBytes(PushLog.SegmentPath(directory, next), File.ReadAllBytes(newest)[..random.Next(0, PushLog.SegmentHeaderBytes + 1)]);
                return null;
            }
            case Fault.DuplicatedRecord:
            {
                var copy = records[random.Next(records.Count)];
                SegmentFile.Append(newest, File.ReadAllBytes(newest).AsSpan(copy.Offset, copy.Length));
                return null;
            }
            case Fault.RecordBitFlip:
            {
                var (path, victims) = records.Count > 0 ? (newest, records) : OlderSegmentWithRecords(directory);
                var victim = victims[random.Next(victims.Count)];
                SegmentFile.FlipBit(path, victim.Offset + random.Next(victim.Length), random.Next(8));
                return path;
            }
            case Fault.SegmentHeaderBitFlip:
            {
                var (path, _) = records.Count > 0 ? (newest, records) : OlderSegmentWithRecords(directory);
                SegmentFile.FlipBit(path, random.Next(PushLog.SegmentHeaderBytes), random.Next(8));
                return path;
            }
            case Fault.SnapshotBitFlip:
            {
                string path = Path.Combine(directory, StoreSnapshot.FileName);
                SegmentFile.FlipBit(path, random.NextInt64(new FileInfo(path).Length), random.Next(8));
                return path;
            }
            case Fault.SnapshotDeleted:
            {
                string path = Path.Combine(directory, StoreSnapshot.FileName);
                File.Delete(path);
                return path;
            }
            case Fault.LayoutBitFlip:
            {
                string path = Path.Combine(directory, StoreSnapshot.LayoutFileName);
                SegmentFile.FlipBit(path, random.NextInt64(new FileInfo(path).Length), random.Next(8));
                return path;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, null);
        }
    }

    private static (string Path, List<(int Offset, int Length)> Records) OlderSegmentWithRecords(string directory) =>
        PushLog.ListSegments(directory).Reverse()
            .Select(s => PushLog.SegmentPath(directory, s))
            .Select(p => (p, SegmentFile.Records(p)))
            .First(x => x.Item2.Count > 0);
}
