using static TorchSharp.torch;

namespace Leap.Training.Distributed;

/// <summary>
/// The classifier columns of one partial-FC step on one shard: the sampled shard-local rows, their global class ids,
/// the batch labels as positions among those columns (-1 where the class is on another shard), and the leaf tensor of
/// the sampled weight rows whose gradient the step updates.
/// </summary>
public sealed record SampledColumns(Tensor Rows, Tensor ClassIds, Tensor Labels, Tensor Weight);
