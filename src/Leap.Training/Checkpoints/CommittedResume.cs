using Leap.Training.Distributed;

namespace Leap.Training.Checkpoints;

/// <summary>
/// How a worker restores its job's committed checkpoint: straight from its own rank's folder when the checkpoint was
/// written by as many workers with the same classifier placement (<see cref="CheckpointMeta.ReplicatedClassifier"/>),
/// otherwise through <see cref="ReshardedCheckpoint"/>, which reads any world size and either placement.
/// </summary>
public static class CommittedResume
{
    /// <param name="committedWorldSize">The world size that wrote the committed checkpoint.</param>
    /// <param name="rankZeroMeta">Old rank 0's meta.json; null when this worker cannot read it (then, at the same world size,
    /// its own rank's checkpoint is restored, which checks the placement itself and names the setting on a mismatch).</param>
    /// <param name="shard">What this worker's session holds.</param>
    public static bool NeedsReshard(int committedWorldSize, CheckpointMeta? rankZeroMeta, ClassShard shard) =>
        committedWorldSize != shard.WorldSize || (rankZeroMeta is not null && rankZeroMeta.ReplicatedClassifier != shard.IsReplicated);
}
