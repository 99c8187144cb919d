using TorchSharp;
using static TorchSharp.torch;

namespace Leap.Core.Margins;

/// <summary>
/// ArcFace (Eq. 2), and with alpha LEAP's Eq. 8: target s cos(clip(theta_y + alpha_y + m, 0, pi)), other columns
/// s cos(clip(theta_j + alpha_j, 0, pi)).
/// <para>
/// Gradient choice: we differentiate the formula as printed in the paper (d/dcos of cos(acos(cos) + m)), unlike
/// InsightFace's arcface_torch, which adds the margin under no_grad and passes the gradient straight through as
/// if the logit were s cos(theta). The true gradient is what the paper's equations define and what our
/// reference tests check; it is finite everywhere because acos is evaluated on a clamped cosine.
/// </para>
/// </summary>
public sealed class ArcFaceMargin : IMarginTransform
{
    public ArcFaceMargin(double scale, double margin)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        ArgumentOutOfRangeException.ThrowIfNegative(margin);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(margin, Math.PI);
        Scale = scale;
        Margin = margin;
    }

    public double Scale { get; }
    public double Margin { get; }

    public Tensor Apply(Tensor cosine, Tensor labels, Tensor? alpha = null)
    {
        using var scope = NewDisposeScope();
        var target = AngleMath.TargetMask(labels, cosine.shape[1]);
        var theta = AngleMath.SafeAcos(cosine);
        using var margin = Margin.ToScalar();
        using var scale = Scale.ToScalar();
        using var one = 1.0.ToScalar();
        using var zero = 0.0.ToScalar();
        var shift = target.to(cosine.dtype).mul(margin);
        if (alpha is not null)
        {
            shift = shift.add(alpha, one);
        }
        var shifted = AngleMath.ShiftedCosine(theta, shift);
        var logits = where(shift.ne(zero).expand_as(cosine), shifted, cosine).mul(scale);
        return logits.MoveToOuterDisposeScope();
    }
}
