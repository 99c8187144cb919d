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
        return cosine.clamp(-1.0 + eps, 1.0 - eps).acos();
    }

    /// <summary>cos(clip(theta + shift, 0, pi)): the paper clips perturbed angles to [0, pi].</summary>
    public static Tensor ShiftedCosine(Tensor theta, Tensor shift) => (theta + shift).clamp(0.0, Math.PI).cos();

    /// <summary>One-hot mask [B, C] of the target column; rows with label -1 are all false.</summary>
    public static Tensor TargetMask(Tensor labels, long columns)
    {
        using var scope = NewDisposeScope();
        var valid = labels.ge(0);
        var safe = labels.clamp_min(0).to(ScalarType.Int64);
        var mask = nn.functional.one_hot(safe, columns).to(ScalarType.Bool) & valid.unsqueeze(1);
        return mask.MoveToOuterDisposeScope();
    }
}
