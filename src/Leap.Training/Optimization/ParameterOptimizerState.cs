using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Leap.Training.Optimization;

/// <summary>
/// The state a TorchSharp optimizer keeps for one parameter, as tensors of the parameter's shape (SGD: the momentum
/// buffer; Adam: the first and second moments and the AMSGrad maximum) plus a step count (Adam), so that state can be
/// copied between optimizers or cut into row ranges (the classifier's rows when a run is re-sharded).
/// </summary>
public static class ParameterOptimizerState
{
    /// <summary>The state's tensors in a fixed order; an entry is null while the optimizer has not created it.</summary>
    /// <exception cref="NotSupportedException">An optimizer this product does not create (<see cref="OptimizerFactory"/>).</exception>
    public static Tensor?[] Tensors(OptimizerState state) => state switch
    {
        SGD.State sgd => [sgd.momentum_buffer],
        Adam.State adam => [adam.exp_avg, adam.exp_avg_sq, adam.max_exp_avg_sq],
        _ => throw new NotSupportedException($"The state of {state?.GetType().FullName ?? "null"} cannot be copied; only SGD and Adam are supported."),
    };

    /// <summary>The optimizer's own step count for the parameter (Adam), or 0.</summary>
    public static long StepCount(OptimizerState state) => state is Adam.State adam ? adam.step : 0;

    /// <summary>
    /// Replaces the state's tensors with <paramref name="tensors"/> (taken over, in the order of <see cref="Tensors"/>)
    /// and its step count; the tensors it held are disposed.
    /// </summary>
    public static void Assign(OptimizerState state, Tensor?[] tensors, long stepCount)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var current = Tensors(state);
        if (tensors.Length != current.Length)
        {
            throw new ArgumentException($"{state.GetType().Name} holds {current.Length} tensors, not {tensors.Length}.", nameof(tensors));
        }
        switch (state)
        {
            case SGD.State sgd:
                sgd.momentum_buffer = tensors[0]!;
                break;
            case Adam.State adam:
                adam.exp_avg = tensors[0]!;
                adam.exp_avg_sq = tensors[1]!;
                adam.max_exp_avg_sq = tensors[2]!;
                adam.step = stepCount;
                break;
        }
        foreach (var old in current)
        {
            if (old is not null && !tensors.Any(t => ReferenceEquals(t, old)))
            {
                old.Dispose();
            }
        }
    }
}
