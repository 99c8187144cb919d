using Leap.Training.Configuration;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Leap.Training.Optimization;

public static class OptimizerFactory
{
    public static OptimizerHelper Create(Configuration.OptimizerOptions options, IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Kind switch
        {
            OptimizerKind.Sgd => (OptimizerHelper)optim.SGD(parameters, options.LearningRate, momentum: options.Momentum, weight_decay: options.WeightDecay),
            OptimizerKind.Adam => (OptimizerHelper)optim.Adam(parameters, options.LearningRate, weight_decay: options.WeightDecay),
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
