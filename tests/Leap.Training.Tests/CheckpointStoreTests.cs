using Leap.Training.Checkpoints;

namespace Leap.Training.Tests;

public sealed class CheckpointStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-ckpt-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Save_WriterFailsMidway_PreviousCheckpointStaysLatestAndNoPartialDirectoryRemains()
    {
        var store = new CheckpointStore(_root, keep: 3);
        store.Save(100, new CheckpointMeta(100, 1, 10, 8, 0), dir => File.WriteAllText(Path.Combine(dir, "a.bin"), "ok"));

        Assert.Throws<IOException>(() => store.Save(200, new CheckpointMeta(200, 1, 10, 8, 0), dir =>
        {
            File.WriteAllText(Path.Combine(dir, "a.bin"), "partial");
            throw new IOException("No space left on device");
        }));

        var latest = store.Latest();
        Assert.NotNull(latest);
        Assert.Equal(100, latest.Value.Meta.Step);
        Assert.Single(Directory.GetDirectories(_root));
    }

    [Fact]
    public void Save_NewRoot_RootAndCheckpointDirectoryOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix modes only
        }
        string root = Path.Combine(_root, "run", "checkpoints");
        var store = new CheckpointStore(root, keep: 3);

        string saved = store.Save(100, new CheckpointMeta(100, 1, 10, 8, 0), dir => File.WriteAllText(Path.Combine(dir, "a.bin"), "ok"));

        const UnixFileMode all = (UnixFileMode)0b111_111_111;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(root) & all);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(saved) & all);
    }

    [Fact]
    public void Save_MoreThanKeep_PrunesTheOldest()
    {
        var store = new CheckpointStore(_root, keep: 2);
        foreach (long step in new long[] { 10, 20, 30 })
        {
            store.Save(step, new CheckpointMeta(step, 1, 10, 8, 0), _ => { });
        }

        Assert.Equal(30, store.Latest()!.Value.Meta.Step);
        Assert.Null(store.At(10));
        Assert.NotNull(store.At(20));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
