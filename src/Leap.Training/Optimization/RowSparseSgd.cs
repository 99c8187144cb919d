using TorchSharp;
using static TorchSharp.torch;

namespace Leap.Training.Optimization;

/// <summary>
/// SGD with momentum and weight decay (torch.optim.SGD's update, no dampening) applied to selected rows of one matrix:
/// the rows not named in a step keep their weights and their momentum untouched. The momentum of a row that has never
/// been updated is zero, so its first update equals torch's first step (buffer = gradient).
/// </summary>
public sealed class RowSparseSgd : IDisposable
{
    public RowSparseSgd(long rows, long columns, double momentum, double weightDecay, Device device)
    {
        Momentum = momentum;
        WeightDecay = weightDecay;
        Buffer = zeros([rows, columns], ScalarType.Float32, device);
    }

    public double Momentum { get; }
    public double WeightDecay { get; }

    /// <summary>The momentum buffer [rows, columns] (saved with the checkpoint).</summary>
    public Tensor Buffer { get; }

    /// <param name="weight">The full matrix, updated in place at <paramref name="rows"/>.</param>
    /// <param name="rows">int64 row indices, without duplicates.</param>
    /// <param name="gradient">[rows.Length, columns] gradient of those rows.</param>
    public void Step(Tensor weight, Tensor rows, Tensor gradient, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(gradient);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var selected = weight.index_select(0, rows);
        using var decay = WeightDecay.ToScalar();
        using var momentum = Momentum.ToScalar();
        using var one = 1.0.ToScalar();
        using var descent = (-learningRate).ToScalar();
        var step = WeightDecay != 0 ? gradient.add(selected, alpha: decay) : gradient;
        if (Momentum != 0)
        {
            var buffer = Buffer.index_select(0, rows);
            buffer.mul_(momentum).add_(step, one);
            Buffer.index_copy_(0, rows, buffer);
            step = buffer;
        }
        selected.add_(step, alpha: descent);
        weight.index_copy_(0, rows, selected);
    }

    public void Dispose() => Buffer.Dispose();
}
