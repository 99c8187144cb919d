namespace Leap.Training.Checkpoints;

/// <summary>What a checkpoint records besides tensors: the next step to run and what the run was.</summary>
/// <param name="Step">Number of completed steps (the resumed run starts at this step).</param>
/// <param name="Seed">The run's seed; data order and alpha draws are pure functions of (seed, step).</param>
/// <param name="ClassCount">Classifier rows.</param>
/// <param name="EmbeddingDimension">Feature size.</param>
/// <param name="NonFiniteSteps">Steps skipped so far because of a non-finite loss.</param>
/// <param name="ReplicatedClassifier">Every rank of the run held every classifier row (<see cref="Distributed.ClassShard.IsReplicated"/>),
/// so each rank folder's classifier.bin and optimizer.bin hold all classes; false (also for checkpoints written before
/// the field existed) for a sharded run or a single process.</param>
public sealed record CheckpointMeta(long Step, long Seed, int ClassCount, int EmbeddingDimension, int NonFiniteSteps, bool ReplicatedClassifier = false);
