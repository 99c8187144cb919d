using Leap.CentreService.Persistence;
using Leap.CentreService.Tests.Support;

namespace Leap.CentreService.Tests.Recovery;

/// <summary>#13 finding 10: the state directory on a disk that fills up, for real (a small tmpfs).</summary>
public sealed class CentreStoreDiskFullTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [SmallFileSystemFact]
    public async Task Push_DiskFull_AnswersResourceExhaustedAndTheStoreRecoversOnceSpaceReturns()
    {
        using var disk = new SmallFileSystem(kibibytes: 192);
        string dir = Path.Combine(disk.Path, "state");
        string ballast = Path.Combine(disk.Path, "ballast");
        File.WriteAllBytes(ballast, new byte[64 << 10]);
        var layout = TestData.SmallLayout();
        var batches = TestData.Batches(seed: 3, count: 200, rows: 40, layout.Dimension, 0, layout.ClassCount);
        var log = new CollectingLoggerProvider();
        int acknowledged = 0;
        CentreStoreException? full = null;
        using (var store = CentreStorePersistenceTests.NewStore(dir, layout, log))
        {
            store.Open();
            for (; acknowledged < batches.Length; acknowledged++)
            {
                try
                {
                    await store.PushAsync(batches[acknowledged].ToPush(acknowledged, $"push-{acknowledged}")).WaitAsync(Timeout);
                }
                catch (CentreStoreException e)
                {
                    full = e;
                    break;
                }
            }
        }
        Assert.NotNull(full);
        Assert.Equal(CentreStoreError.ResourceExhausted, full.Error);
        Assert.Contains("disk is full", full.Message, StringComparison.Ordinal);
        Assert.InRange(acknowledged, 1, batches.Length - 1);

        string filler = disk.FillUp();
        int segmentsBefore = PushLog.ListSegments(dir).Length;
        using (var onFullDisk = CentreStorePersistenceTests.NewStore(dir, layout, log))
        {
            var refused = Assert.Throws<CentreStoreException>(onFullDisk.Open);
            Assert.Equal(CentreStoreError.ResourceExhausted, refused.Error);
        }
        Assert.Equal(segmentsBefore, PushLog.ListSegments(dir).Length);

        File.Delete(filler);
        File.Delete(ballast);
        using var recovered = CentreStorePersistenceTests.NewStore(dir, layout, log);
        recovered.Open();
        CentreStorePersistenceTests.AssertEqualsTracker(recovered, layout, batches[..acknowledged]);
        var retried = await recovered.PushAsync(batches[acknowledged].ToPush(acknowledged, $"push-{acknowledged}")).WaitAsync(Timeout);
        Assert.False(retried.Duplicate);
        Assert.Equal(acknowledged + 1, recovered.Pushes);
    }
}
