using Leap.Collectives;
using static TorchSharp.torch;

namespace Leap.Training.Distributed;

/// <summary>
/// Exact softmax cross-entropy over a classifier split by columns across ranks. Each rank holds logits [N, C_r] for
/// the same N (globally gathered) rows; labels are local column indices or -1 where another rank owns the target.
/// <para>
/// Forward: the row max, the row sum of exp and the target logit are all-reduced (max, sum, sum), giving
/// loss = mean_i(log S_i - (z_{i,y} - m_i)). Backward needs no custom autograd function: the returned surrogate
/// mean_i(s_{r,i} / S_i - t_{r,i}), with S and m constants, has exactly the gradient (softmax_r - onehot_r) / N with
/// respect to this rank's logits, which is this rank's share of the true gradient.
/// </para>
/// </summary>
public static class DistributedSoftmaxCrossEntropy
{
    /// <returns>The loss value (identical on every rank) and the surrogate to call backward on.</returns>
    public static (double Loss, Tensor Surrogate) Compute(Tensor logits, Tensor localLabels, ICollectives collectives)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(localLabels);
        ArgumentNullException.ThrowIfNull(collectives);
        using var scope = NewDisposeScope();
        var rowMax = logits.detach().max(1).values.to(ScalarType.Float64).cpu().contiguous();
        collectives.AllReduceAsync(rowMax, ReduceOp.Max).GetAwaiter().GetResult();
        var shifted = logits - rowMax.to(logits.dtype).to(logits.device).unsqueeze(1);

        var localSum = shifted.exp().sum(1);
        var globalSum = localSum.detach().to(ScalarType.Float64).cpu().contiguous();
        collectives.AllReduceAsync(globalSum, ReduceOp.Sum).GetAwaiter().GetResult();

        var owned = localLabels.ge(0);
        var column = localLabels.clamp_min(0).unsqueeze(1);
        var target = shifted.gather(1, column).squeeze(1) * owned.to(shifted.dtype);
        var globalTarget = target.detach().to(ScalarType.Float64).cpu().contiguous();
        collectives.AllReduceAsync(globalTarget, ReduceOp.Sum).GetAwaiter().GetResult();

        double loss = (globalSum.log() - globalTarget).mean().item<double>();
        var surrogate = (localSum / globalSum.to(localSum.dtype).to(localSum.device) - target).mean();
        return (loss, surrogate.MoveToOuterDisposeScope());
    }
}
