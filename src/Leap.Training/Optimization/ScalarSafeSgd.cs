using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Leap.Training.Optimization;

/// <summary>
/// torch.optim.SGD (TorchSharp's, same state and checkpoints, same arithmetic in the same order) whose step holds every
/// Scalar it passes to libtorch until the call returns. TorchSharp's own step converts the momentum, dampening, weight
/// decay and learning rate to temporary Scalars per parameter, and a collection on another thread can finalize one
/// while libtorch still reads it ("Expected false to be true" from Scalar::toDouble, or a crash).
/// </summary>
public sealed class ScalarSafeSgd : SGD
{
    public ScalarSafeSgd(IEnumerable<Parameter> parameters, double lr, double momentum, double weightDecay)
        : base(parameters, lr, momentum: momentum, weight_decay: weightDecay)
    {
    }

    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = group.Options;
        double momentum = options.momentum!.Value;
        double weightDecay = options.weight_decay!.Value;
        bool nesterov = options.nesterov!.Value;
        double rate = options.LearningRate!.Value;
        using var momentumScalar = momentum.ToScalar();
        using var undampened = (1.0 - options.dampening!.Value).ToScalar();
        using var decay = weightDecay.ToScalar();
        using var descent = (options.maximize!.Value ? rate : -rate).ToScalar();
        foreach (var parameter in group.Parameters)
        {
            var state = (State)_state[parameter.Handle];
            var gradient = parameter.grad;
            if (gradient is null)
            {
                continue;
            }
            if (weightDecay != 0)
            {
                gradient = gradient.add(parameter, decay);
            }
            if (momentum != 0)
            {
                var buffer = state.momentum_buffer;
                if (buffer is null)
                {
                    buffer = state.momentum_buffer = gradient.clone().detach().DetachFromDisposeScope();
                }
                else
                {
                    buffer.mul_(momentumScalar).add_(gradient, undampened);
                }
                gradient = nesterov ? gradient.add(buffer, momentumScalar) : buffer;
            }
            parameter.add_(gradient, descent);
        }
    }, closure);
}
