using TorchSharp;
using static TorchSharp.torch;

namespace Leap.Training.Modeling;

/// <summary>
/// The residual blocks' branch + shortcut, added in place into the branch with a held Scalar 1 as alpha (Tensor.add_(Tensor)
/// would pass a temporary one, LEAP0003).
/// </summary>
internal static class ResidualSum
{
    public static Tensor AddInPlace(Tensor branch, Tensor shortcut)
    {
        using var one = 1.ToScalar();
        return branch.add_(shortcut, one);
    }
}
