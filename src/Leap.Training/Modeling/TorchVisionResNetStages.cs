using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Leap.Training.Modeling;

/// <summary>
/// TorchVision's <see cref="ResNet"/> (not ours to change) cut as its forward runs: stem (conv1, bn1, relu, maxpool),
/// layer1 to layer4, head (avgpool, flatten, fc).
/// </summary>
public static class TorchVisionResNetStages
{
    /// <exception cref="InvalidOperationException">The ResNet lacks one of TorchVision's submodules; the message names it.</exception>
    public static IReadOnlyList<NetworkStage> Of(ResNet resnet)
    {
        ArgumentNullException.ThrowIfNull(resnet);
        var children = resnet.named_children().ToDictionary(c => c.name, c => c.module);
        Module<Tensor, Tensor> Child(string name) => children.TryGetValue(name, out var m) && m is Module<Tensor, Tensor> typed
            ? typed
            : throw new InvalidOperationException($"TorchVision's ResNet has no '{name}' module here; found {string.Join(", ", children.Keys)}.");
        var stages = new List<NetworkStage> { NetworkStage.Sequence("stem", Child("conv1"), Child("bn1"), Child("relu"), Child("maxpool")) };
        stages.AddRange(Enumerable.Range(1, 4).Select(i => NetworkStage.Sequence($"layer{i}", Child($"layer{i}"))));
        var pool = Child("avgpool");
        var fc = Child("fc");
        stages.Add(new NetworkStage("head", x => fc.forward(pool.forward(x).flatten(1)), [pool, fc]));
        return stages;
    }
}
