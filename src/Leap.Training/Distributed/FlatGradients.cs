using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Leap.Training.Distributed;

/// <summary>A bucket's gradients as one contiguous CPU tensor (what a collective takes), and back.</summary>
internal static class FlatGradients
{
    public static Tensor Of(IReadOnlyList<Parameter> bucket) =>
        cat(bucket.Select(p => p.grad!.detach().reshape(-1).cpu()).ToList(), 0).contiguous();

    public static void CopyBack(Tensor flat, IReadOnlyList<Parameter> bucket)
    {
        using var scope = NewDisposeScope();
        using var guard = no_grad();
        long offset = 0;
        foreach (var p in bucket)
        {
            long n = p.grad!.numel();
            p.grad!.copy_(flat.narrow(0, offset, n).view_as(p.grad!).to(p.grad!.device));
            offset += n;
        }
    }
}
