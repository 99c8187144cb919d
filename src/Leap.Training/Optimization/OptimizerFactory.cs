using Leap.Training.Configuration;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Leap.Training.Optimization;

public static class OptimizerFactory
{
    public static OptimizerHelper Create(Configuration.OptimizerOptions options, IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(options);
        // TorchSharp's SGD and Adam with steps that hold their Scalars (same state, checkpoints and arithmetic).
        return options.Kind switch
        {
            OptimizerKind.Sgd => new ScalarSafeSgd(parameters, options.LearningRate, options.Momentum, options.WeightDecay),
            OptimizerKind.Adam => (OptimizerHelper)new ScalarSafeAdam(parameters, options.LearningRate, options.WeightDecay),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Kind, "Unknown optimizer."),
        };
    }

    public static void SetLearningRate(optim.Optimizer optimizer, double rate)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = rate;
        }
    }
}
