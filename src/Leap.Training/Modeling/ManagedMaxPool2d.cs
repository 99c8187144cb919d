using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Leap.Training.Modeling;

/// <summary>
/// MaxPool2d (square window, floor mode, no dilation) whose contiguous float32 CPU input goes through
/// <see cref="MaxPool2dKernel"/> when torch runs one intra-op thread (as each launched worker does by default on this
/// machine): the same values and gradients as libtorch's max_pool2d, faster in the small CNN. Any other input (a GPU,
/// another dtype, a strided view) or more threads go through libtorch. No parameters; exported to ONNX as MaxPool.
/// </summary>
public sealed class ManagedMaxPool2d : Module<Tensor, Tensor>
{
    private readonly long[] _kernel;
    private readonly long[] _stride;
    private readonly long[] _padding;

    public ManagedMaxPool2d(int kernel, int stride, int padding = 0) : base(nameof(ManagedMaxPool2d))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(kernel, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(padding, kernel / 2); // libtorch's rule
        Window = new PoolWindow(kernel, stride, padding);
        _kernel = [kernel, kernel];
        _stride = [stride, stride];
        _padding = [padding, padding];
    }

    public PoolWindow Window { get; }

    /// <summary>Whether <paramref name="input"/> would be pooled by the managed kernel (else by libtorch). Not for second-order gradients: the managed backward is not itself differentiable.</summary>
    public bool RunsManaged(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return get_num_threads() == 1 && MaxPool2dKernel.Supports(input, Window);
    }

    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!RunsManaged(input))
        {
            return functional.max_pool2d(input, _kernel, _stride, _padding);
        }

        return is_grad_enabled() && input.requires_grad
            ? MaxPool2dFunction.apply(input, Window)
            : MaxPool2dKernel.Forward(input, Window, recordWinners: false, out _);
    }
}
