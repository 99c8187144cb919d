using TorchSharp;
using Leap.Training.Optimization;
using static TorchSharp.torch;

namespace Leap.Training.Distributed;

/// <summary>
/// Partial FC on one classifier shard: per step, the sampled rows (<see cref="PartialFcSampler"/>) are copied into a
/// leaf tensor, the logits are computed on those columns only, and after backward only those rows and their momentum
/// are updated (<see cref="RowSparseSgd"/>).
/// </summary>
public sealed class PartialFc(PartialFcSampler sampler, RowSparseSgd optimizer, ClassShard shard) : IDisposable
{
    public PartialFcSampler Sampler { get; } = sampler;
    public RowSparseSgd Optimizer { get; } = optimizer;
    public ClassShard Shard { get; } = shard;

    /// <param name="weight">The shard's full weight [Count, D].</param>
    /// <param name="globalLabels">[N] global class ids of the (gathered) batch.</param>
    public SampledColumns Select(Tensor weight, Tensor globalLabels, long step)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(globalLabels);
        var labels = globalLabels.to(ScalarType.Int64, CPU).contiguous();
        var ids = labels.data<long>().ToArray();
        labels.Dispose();
        long[] rows = Sampler.Rows(ids, Shard, step);
        var positions = new long[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            positions[i] = Shard.Contains(ids[i]) ? Array.BinarySearch(rows, ids[i] - Shard.Start) : -1;
        }
        var device = weight.device;
        var rowTensor = tensor(rows, ScalarType.Int64).to(device);
        var selected = weight.detach().index_select(0, rowTensor).requires_grad_(true);
        using var start = Shard.Start.ToScalar();
        using var one = 1.ToScalar();
        return new SampledColumns(rowTensor, tensor(rows, ScalarType.Int64).add(start, one), tensor(positions, ScalarType.Int64).to(device), selected);
    }

    /// <summary>Updates the sampled rows with their gradient (after backward).</summary>
    public void Update(Tensor weight, SampledColumns columns, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var gradient = columns.Weight.grad ?? throw new InvalidOperationException("The sampled rows have no gradient; call backward first.");
        Optimizer.Step(weight, columns.Rows, gradient, learningRate);
    }

    public void Dispose() => Optimizer.Dispose();
}
