using TorchSharp;
using Leap.Collectives;
using static TorchSharp.torch;

namespace Leap.Training.Distributed;

/// <summary>
/// Exact softmax cross-entropy over a classifier split by columns across ranks. Each rank holds logits [N, C_r] for
/// the same N (globally gathered) rows; labels are local column indices or -1 where another rank owns the target.
/// <para>
/// Forward, in one all-gather (float64): each rank sends, per row, its own row max m_r, its sum of exp(z - m_r) and
/// its target logit (0 where it does not own the target). Every rank then merges them the same way: m = max_r m_r,
/// S = sum_r s_r exp(m_r - m), z_y = the owner's target logit, loss = mean_i(log S_i - (z_{i,y} - m_i)). This is the
/// merge of partial softmax sums (as in online softmax), one collective where a max, a sum and a target all-reduce
/// would be three ring round-trips.
/// </para>
/// <para>
/// Backward needs no custom autograd function: the returned surrogate mean_i(s_{r,i} exp(m_{r,i} - m_i) / S_i -
/// z_{r,i,y}), with m and S constants, has exactly the gradient (softmax_r - onehot_r) / N with respect to this rank's
/// logits, which is this rank's share of the true gradient.
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
        long rows = logits.shape[0];
        var localMax = logits.detach().max(1).values;
        var shifted = logits - localMax.unsqueeze(1);
        var localSum = shifted.exp().sum(1);

        using var zero = 0.ToScalar();
        var owned = localLabels.ge(zero);
        var column = localLabels.clamp_min(zero).unsqueeze(1);
        var target = logits.gather(1, column).squeeze(1) * owned.to(logits.dtype);

        var partial = stack([localMax.to(ScalarType.Float64), localSum.detach().to(ScalarType.Float64), target.detach().to(ScalarType.Float64)], 0)
            .cpu().reshape(-1).contiguous();
        var all = collectives.AllGatherAsync(partial).GetAwaiter().GetResult().view(collectives.WorldSize, 3, rows);
        var maxes = all.select(1, 0);
        var globalMax = maxes.max(dim: 0).values;
        var globalSum = (all.select(1, 1) * (maxes - globalMax.unsqueeze(0)).exp()).sum(dim: 0);
        var globalTarget = all.select(1, 2).sum(dim: 0);

        double loss = (globalSum.log() - (globalTarget - globalMax)).mean().item<double>();
        var ownShare = (localMax.to(ScalarType.Float64).cpu() - globalMax).exp() / globalSum;
        var surrogate = (localSum * ownShare.to(localSum.dtype).to(localSum.device) - target).mean();
        return (loss, surrogate.MoveToOuterDisposeScope());
    }
}
