using TorchSharp;
using static TorchSharp.torch;

namespace Leap.Core.Margins;

/// <summary>
/// CosFace (Eq. 1), and with alpha LEAP's Eq. 7: logit_j = s (cos(clip(theta_j + alpha_j, 0, pi)) - m [j = y]).
/// Columns whose alpha is exactly zero use the cosine directly, so the baseline path never goes through acos.
/// </summary>
public sealed class CosFaceMargin : IMarginTransform
{
    public CosFaceMargin(double scale, double margin)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        ArgumentOutOfRangeException.ThrowIfNegative(margin);
        Scale = scale;
        Margin = margin;
    }

    public double Scale { get; }
    public double Margin { get; }

    public Tensor Apply(Tensor cosine, Tensor labels, Tensor? alpha = null)
    {
        using var scope = NewDisposeScope();
        var target = AngleMath.TargetMask(labels, cosine.shape[1]);
        using var margin = Margin.ToScalar();
        using var scale = Scale.ToScalar();
        using var zero = 0.0.ToScalar();
        var cos = cosine;
        if (alpha is not null)
        {
            var perturbed = AngleMath.ShiftedCosine(AngleMath.SafeAcos(cosine), alpha);
            cos = where(alpha.ne(zero).expand_as(cosine), perturbed, cosine);
        }
        var logits = (cos - target.to(cos.dtype).mul(margin)).mul(scale);
        return logits.MoveToOuterDisposeScope();
    }
}
