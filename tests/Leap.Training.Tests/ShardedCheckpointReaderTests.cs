using Leap.Training.Checkpoints;

namespace Leap.Training.Tests;

/// <summary>How a distributed run's per-rank checkpoint folders are recognised, and refused when incomplete.</summary>
public sealed class ShardedCheckpointReaderTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-sharded-" + Guid.NewGuid().ToString("N"));

    private void Complete(string rankFolder, long step)
    {
        string directory = Path.Combine(_root, rankFolder, $"step-{step:D9}");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, CheckpointStore.MetaFile), "{}");
    }

    [Fact]
    public void WorldSizeOf_SingleProcessOrMissingFolder_IsNull()
    {
        Assert.Null(ShardedCheckpointReader.WorldSizeOf(_root));
        Complete(".", 10);
        Assert.Null(ShardedCheckpointReader.WorldSizeOf(_root));
    }

    [Fact]
    public void WorldSizeOf_AllRanks_IsTheWorldSize()
    {
        Complete("rank-0-of-3", 10);
        Complete("rank-1-of-3", 10);
        Complete("rank-2-of-3", 10);
        Assert.Equal(3, ShardedCheckpointReader.WorldSizeOf(_root));
    }

    [Fact]
    public void WorldSizeOf_MissingRankOrMixedWorlds_ThrowsNamingThem()
    {
        Complete("rank-0-of-3", 10);
        Complete("rank-2-of-3", 10);
        var missing = Assert.Throws<InvalidOperationException>(() => ShardedCheckpointReader.WorldSizeOf(_root));
        Assert.Contains("rank 1 of 3", missing.Message, StringComparison.Ordinal);

        Complete("rank-1-of-3", 10);
        Complete("rank-0-of-2", 10);
        var mixed = Assert.Throws<InvalidOperationException>(() => ShardedCheckpointReader.WorldSizeOf(_root));
        Assert.Contains("2 and 3 workers", mixed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CompleteSteps_IgnoresTemporaryAndMetaLessFolders()
    {
        Complete("r", 20);
        Complete("r", 10);
        Directory.CreateDirectory(Path.Combine(_root, "r", "step-000000030"));
        Directory.CreateDirectory(Path.Combine(_root, "r", "step-000000040.tmp-abc"));
        File.WriteAllText(Path.Combine(_root, "r", "step-000000040.tmp-abc", CheckpointStore.MetaFile), "{}");

        Assert.Equal([10L, 20L], new CheckpointStore(Path.Combine(_root, "r"), keep: 5).CompleteSteps());
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
