using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Leap.Training.Optimization;

/// <summary>
/// torch.optim.Adam (TorchSharp's, same state and checkpoints, same arithmetic in the same order) whose step holds every
/// Scalar it passes to libtorch until the call returns; see <see cref="ScalarSafeSgd"/> for why.
/// </summary>
public sealed class ScalarSafeAdam : Adam
{
    public ScalarSafeAdam(IEnumerable<Parameter> parameters, double lr, double weightDecay)
        : base(parameters, lr, weight_decay: weightDecay)
    {
    }

    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = group.Options;
        double beta1 = options.beta1!.Value;
        double beta2 = options.beta2!.Value;
        double weightDecay = options.weight_decay!.Value;
        bool amsgrad = options.amsgrad!.Value;
        bool maximize = options.maximize!.Value;
        double rate = options.LearningRate!.Value;
        using var beta1Scalar = beta1.ToScalar();
        using var beta2Scalar = beta2.ToScalar();
        using var oneMinusBeta1 = (1.0 - beta1).ToScalar();
        using var oneMinusBeta2 = (1.0 - beta2).ToScalar();
        using var decay = weightDecay.ToScalar();
        using var eps = options.eps!.Value.ToScalar();
        using var one = 1.0.ToScalar();
        foreach (var parameter in group.Parameters)
        {
            var state = (State)_state[parameter.Handle];
            var gradient = parameter.grad;
            if (gradient is null)
            {
                continue;
            }
            if (maximize)
            {
                gradient = -gradient;
            }
            state.step++;
            double bias1 = 1.0 - Math.Pow(beta1, state.step);
            double bias2 = 1.0 - Math.Pow(beta2, state.step);
            if (weightDecay != 0)
            {
                gradient = gradient.add(parameter, decay);
            }
            state.exp_avg.mul_(beta1Scalar).add_(gradient, oneMinusBeta1);
            state.exp_avg_sq.mul_(beta2Scalar).addcmul_(gradient, gradient.conj(), oneMinusBeta2);
            if (amsgrad)
            {
                var previous = state.max_exp_avg_sq;
                state.max_exp_avg_sq = maximum(previous, state.exp_avg_sq).DetachFromDisposeScope();
                previous.Dispose();
            }
            using var correction2 = Math.Sqrt(bias2).ToScalar();
            var denominator = (amsgrad ? state.max_exp_avg_sq : state.exp_avg_sq).sqrt().div(correction2).add_(eps, one);
            using var stepSize = (-(rate / bias1)).ToScalar();
            parameter.addcdiv_(state.exp_avg, denominator, stepSize);
        }
    }, closure);
}
