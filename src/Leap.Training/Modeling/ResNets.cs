using TorchSharp.Modules;

namespace Leap.Training.Modeling;

/// <summary>
/// TorchVision's ResNet-18 and ResNet-50 (TorchSharp's ResNet trunk, stage layout, initialisation and parameter names)
/// built with <see cref="ResNetBasicBlock"/> / <see cref="ResNetBottleneck"/> instead of TorchVision's private blocks,
/// whose forward adds the shortcut through a temporary Scalar (Tensor.add_(Tensor) passes alpha 1 that way) that a
/// collection on another thread can free mid-call: one per block per step.
/// </summary>
public static class ResNets
{
    /// <param name="blocksPerStage">The blocks of each of the 4 stages: TorchVision's 2, 2, 2, 2 by default (a pretrained file may differ).</param>
    public static ResNet ResNet18(int numClasses, IReadOnlyList<int>? blocksPerStage = null) =>
        Build("ResNet18", (inPlanes, planes, stride, downsample, _, _, _, norm) => new ResNetBasicBlock(inPlanes, planes, stride, downsample, norm), 1,
            blocksPerStage is null ? [2, 2, 2, 2] : [.. blocksPerStage], numClasses);

    public static ResNet ResNet50(int numClasses) =>
        Build("ResNet50", (inPlanes, planes, stride, downsample, _, _, _, norm) => new ResNetBottleneck(inPlanes, planes, stride, downsample, norm),
            ResNetBottleneck.Expansion, [3, 4, 6, 3], numClasses);

    private static ResNet Build(string name, ResNet.BlockFunc block, int expansion, int[] layers, int numClasses)
    {
        // The trunk's constructor initialises BN weights through TorchSharp's init functions, which make temporary
        // Scalars: once, while the model is built.
#pragma warning disable LEAP0003
        return new ResNet(name, block, expansion, layers, numClasses);
#pragma warning restore LEAP0003
    }
}
