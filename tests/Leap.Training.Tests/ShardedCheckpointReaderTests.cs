using Leap.Training.Checkpoints;
using Leap.Training.Configuration;
using Leap.Training.Distributed;
using Leap.Training.Engine;
using Leap.Training.Modeling;
using static TorchSharp.torch;

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
    public void WorldSizeOf_MissingRank_ThrowsNamingIt()
    {
        Complete("rank-0-of-3", 10);
        Complete("rank-2-of-3", 10);
        var missing = Assert.Throws<InvalidOperationException>(() => ShardedCheckpointReader.WorldSizeOf(_root));
        Assert.Contains("rank 1 of 3", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WorldSizeOf_RunResumedWithOtherWorldSizes_IsTheWorldOfTheAskedOrNewestStep()
    {
        // 3 workers to step 20, re-sharded onto 2 workers (steps 30, 40), then onto 1 (step 50, under the root).
        foreach (int rank in new[] { 0, 1, 2 })
        {
            Complete($"rank-{rank}-of-3", 10);
            Complete($"rank-{rank}-of-3", 20);
        }
        Complete("rank-0-of-2", 30);
        Complete("rank-1-of-2", 30);
        Complete("rank-0-of-2", 40);
        Complete("rank-1-of-2", 40);
        // An incomplete world size (a rank folder of 4 alone) is ignored when another is complete.
        Complete("rank-0-of-4", 45);

        Assert.Equal(2, ShardedCheckpointReader.WorldSizeOf(_root));
        Assert.Equal(3, ShardedCheckpointReader.WorldSizeOf(_root, step: 20));
        Assert.Equal(2, ShardedCheckpointReader.WorldSizeOf(_root, step: 30));

        Complete(".", 50);
        Assert.Null(ShardedCheckpointReader.WorldSizeOf(_root));
        Assert.Equal(3, ShardedCheckpointReader.WorldSizeOf(_root, step: 10));
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

    [Fact]
    public void LoadInto_TwoRanks_PutsEachShardsRowsInPlaceAndTakesRank0sBackbone()
    {
        int[] samples = [5, 4, 3, 2, 2];
        var options = new TrainingOptions
        {
            Seed = 3, OutputDirectory = _root, Model = { EmbeddingDimension = 8 }, Checkpoint = { EverySteps = 0 },
        };
        for (int rank = 0; rank < 2; rank++)
        {
            var shard = ClassShard.For(samples.Length, rank, 2);
            using var session = new TrainingSession(options, samples, new ImageShape(1, 28, 28), CPU, shard);
            using (no_grad())
            {
                // Row of global class c = c + 1 everywhere: a misplaced row shows.
                session.Classifier.Weight.copy_(arange(shard.Start + 1, shard.Start + shard.Count + 1, ScalarType.Float32).unsqueeze(1).expand(shard.Count, 8));
                session.Network.parameters().First().fill_(rank + 10);
            }

            foreach (long step in new[] { 10L, 20L })
            {
                session.Step = step;
                session.SaveCheckpoint();
            }
        }

        // Rank 1 never finished step 20: the newest common step is 10.
        Directory.Delete(Path.Combine(_root, "checkpoints", "rank-1-of-2", "step-000000020"), recursive: true);
        using var whole = new TrainingSession(options, samples, new ImageShape(1, 28, 28), CPU);
        string checkpoints = Path.Combine(_root, "checkpoints");

        string loaded = ShardedCheckpointReader.LoadInto(whole, checkpoints, ShardedCheckpointReader.WorldSizeOf(checkpoints)!.Value);

        Assert.EndsWith(Path.Combine("rank-0-of-2", "step-000000010"), loaded, StringComparison.Ordinal);
        Assert.Equal(10, whole.Step);
        float[] rows = whole.Classifier.Weight.detach()[.., 0].data<float>().ToArray();
        Assert.Equal([1f, 2f, 3f, 4f, 5f], rows);
        Assert.Equal(10f, whole.Network.parameters().First().detach().flatten()[0].item<float>());
        var missing = Assert.Throws<InvalidOperationException>(() => ShardedCheckpointReader.LoadInto(whole, checkpoints, 2, step: 20));
        Assert.Contains("step 20", missing.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
