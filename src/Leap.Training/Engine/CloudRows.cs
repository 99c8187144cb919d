using TorchSharp;
using static TorchSharp.torch;

namespace Leap.Training.Engine;

/// <summary>The number of batch rows LEAP perturbed this step: rows of alpha [B, C] (or [B, 1]) with a non-zero entry.</summary>
public static class CloudRows
{
    public static long Count(Tensor alpha)
    {
        ArgumentNullException.ThrowIfNull(alpha);
        using var scope = NewDisposeScope();
        using var zero = 0.ToScalar();
        return alpha.ne(zero).any(1).sum().item<long>();
    }
}
