using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Leap.Training.Modeling;

/// <summary>
/// MaxPool2d(2): 2x2 windows, stride 2, floor mode. Contiguous float32 CPU input goes through
/// <see cref="MaxPool2x2Kernel"/> (same values and gradients as libtorch's, about ten times faster on one thread); any
/// other input (a GPU, another dtype, a strided view) through libtorch's max_pool2d. Exported to ONNX as MaxPool.
/// </summary>
public sealed class MaxPool2x2() : Module<Tensor, Tensor>(nameof(MaxPool2x2))
{
    private static readonly long[] Window = [2, 2];

    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!MaxPool2x2Kernel.Supports(input))
        {
            return functional.max_pool2d(input, Window, Window);
        }

        return is_grad_enabled() && input.requires_grad
            ? MaxPool2x2Function.apply(input)
            : MaxPool2x2Kernel.Forward(input, out _, recordWinners: false);
    }
}
