using static TorchSharp.torch;

namespace Leap.Training.Modeling;

/// <summary>Autograd for <see cref="MaxPool2x2Kernel"/>: the forward keeps which position won each window, the backward routes each output gradient there.</summary>
internal sealed class MaxPool2x2Function : autograd.SingleTensorFunction<MaxPool2x2Function>
{
    private const string InputShape = "input_shape";

    public override string Name => nameof(MaxPool2x2Function);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(vars);
        var input = (Tensor)vars[0];
        Tensor output = MaxPool2x2Kernel.Forward(input, out Tensor? winners, recordWinners: true);
        ctx.save_for_backward([winners!]);
        ctx.save_data(InputShape, input.shape);
        return output;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(grad_output);
        Tensor winners = ctx.get_saved_variables()[0];
        var shape = (long[])ctx.get_data(InputShape);
        return [MaxPool2x2Kernel.Backward(grad_output, winners, shape)];
    }
}
