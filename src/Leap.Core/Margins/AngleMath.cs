using TorchSharp;
using static TorchSharp.torch;

namespace Leap.Core.Margins;

/// <summary>The numerically safe pieces shared by the margin transforms.</summary>
internal static class AngleMath
{
    /// <summary>
    /// theta = acos(cos), with cos clamped to [-1 + eps, 1 - eps] so that d acos / d cos stays finite at
    /// cos = +-1 (eps 1e-12 in float64, 1e-6 in float32, 1e-3 in half precision).
    /// </summary>
    public static Tensor SafeAcos(Tensor cosine)
    {
        double eps = cosine.dtype switch
        {
            ScalarType.Float64 => 1e-12,
            ScalarType.Float32 => 1e-6,
            _ => 1e-3,
        };
        // Scalars held by using locals throughout: TorchSharp does not keep a temporary one alive during the native call
        // (Leap.Analyzers LEAP0001).
        using var lowest = (-1.0 + eps).ToScalar();
        using var highest = (1.0 - eps).ToScalar();
        return cosine.clamp(lowest, highest).acos();
    }

    /// <summary>cos(clip(theta + shift, 0, pi)): the paper clips perturbed angles to [0, pi].</summary>
    public static Tensor ShiftedCosine(Tensor theta, Tensor shift)
    {
        using var one = 1.0.ToScalar();
        using var zero = 0.0.ToScalar();
        using var pi = Math.PI.ToScalar();
        return theta.add(shift, one).clamp(zero, pi).cos();
    }

    /// <summary>One-hot mask [B, C] of the target column; rows with label -1 are all false.</summary>
    public static Tensor TargetMask(Tensor labels, long columns)
    {
        using var scope = NewDisposeScope();
        using var zero = 0.ToScalar();
        var valid = labels.ge(zero);
        var safe = labels.clamp_min(zero).to(ScalarType.Int64);
        var mask = nn.functional.one_hot(safe, columns).to(ScalarType.Bool) & valid.unsqueeze(1);
        return mask.MoveToOuterDisposeScope();
    }
}
