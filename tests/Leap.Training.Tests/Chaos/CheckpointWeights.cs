using Leap.Runs.Configuration;
using Leap.Training.Data;
using Leap.Training.Distributed;
using Leap.Training.Engine;
using static TorchSharp.torch;

namespace Leap.Training.Tests.Chaos;

/// <summary>Compares the weights (network and classifier shard, parameters and buffers) two runs checkpointed at one step.</summary>
internal static class CheckpointWeights
{
    /// <summary>The largest absolute difference over every rank's network and classifier tensors.</summary>
    public static double MaxDifference(string[] overrides, string runA, string runB, int worldSize, long step)
    {
        double worst = 0;
        for (int rank = 0; rank < worldSize; rank++)
        {
            using var a = Load(overrides, runA, rank, worldSize, step);
            using var b = Load(overrides, runB, rank, worldSize, step);
            worst = Math.Max(worst, MaxDifference(a.Network.state_dict(), b.Network.state_dict()));
            worst = Math.Max(worst, MaxDifference(a.Classifier.state_dict(), b.Classifier.state_dict()));
        }
        return worst;
    }

    private static TrainingSession Load(string[] overrides, string run, int rank, int worldSize, long step)
    {
        var options = TrainingConfigLoader.Load(null, [.. overrides, $"OutputDirectory={run}"]);
        using var data = RunData.Open(options);
        var session = new TrainingSession(options, data.Train.SamplesPerClass(), data.Shape, CPU,
            ClassShard.For(data.Manifest.Classes.Count, rank, worldSize), placement: options.Distributed.Classifier);
        session.Resume(step);
        return session;
    }

    private static double MaxDifference(IDictionary<string, Tensor> a, IDictionary<string, Tensor> b)
    {
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        double worst = 0;
        foreach (var (name, tensor) in a)
        {
            using var difference = (tensor.to(ScalarType.Float64) - b[name].to(ScalarType.Float64)).abs().max();
            worst = Math.Max(worst, difference.item<double>());
        }
        return worst;
    }
}
