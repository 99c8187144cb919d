using static TorchSharp.torch;

namespace Leap.Training.Modeling;

/// <summary>
/// Autograd for <see cref="MaxPool2dKernel"/>: the forward keeps each window's winner, the backward adds each output
/// gradient there. The backward itself is not differentiable (no second-order gradients through this layer).
/// </summary>
internal sealed class MaxPool2dFunction : autograd.SingleTensorFunction<MaxPool2dFunction>
{
    private const string InputShape = "input_shape";

    public override string Name => nameof(MaxPool2dFunction);

    /// <param name="vars">The input tensor and its <see cref="PoolWindow"/>.</param>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(vars);
        var input = (Tensor)vars[0];
        Tensor output = MaxPool2dKernel.Forward(input, (PoolWindow)vars[1], recordWinners: true, out Tensor? winners);
        ctx.save_for_backward([winners!]);
        ctx.save_data(InputShape, input.shape);
        return output;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(grad_output);
        using Tensor winners = ctx.get_saved_variables()[0];
        // One gradient per forward argument: the input's, and none for the window.
        return [MaxPool2dKernel.Backward(grad_output, winners, (long[])ctx.get_data(InputShape)), null!];
    }
}
