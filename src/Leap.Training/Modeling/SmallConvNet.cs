using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Leap.Training.Modeling;

/// <summary>conv-BN-ReLU x3 with pooling, global average pool: [B, C, H, W] -> [B, 128]. For fast CPU runs.</summary>
public sealed class SmallConvNet : Module<Tensor, Tensor>, IStagedModule
{
    private readonly Sequential _layers;

    public SmallConvNet(int inputChannels, bool batchNorm = true) : base(nameof(SmallConvNet))
    {
        _layers = Sequential(
            Block(inputChannels, 32, batchNorm), new ManagedMaxPool2d(2, 2),
            Block(32, 64, batchNorm), new ManagedMaxPool2d(2, 2),
            Block(64, 128, batchNorm), AdaptiveAvgPool2d(1), Flatten());
        RegisterComponents();
    }

    public const int FeatureDimension = 128;

    /// <summary>The layers, in order.</summary>
    internal Sequential Layers => _layers;

    public override Tensor forward(Tensor input) => _layers.forward(input);

    /// <summary>One stage per conv block, each with the pooling after it.</summary>
    public IReadOnlyList<NetworkStage> Stages()
    {
        var layers = _layers.children().Cast<Module<Tensor, Tensor>>().ToArray();
        return
        [
            NetworkStage.Sequence("block1", layers[0], layers[1]),
            NetworkStage.Sequence("block2", layers[2], layers[3]),
            NetworkStage.Sequence("block3", layers[4..]),
        ];
    }

    private static Sequential Block(int input, int output, bool batchNorm) => batchNorm
        ? Sequential(Conv2d(input, output, 3, padding: 1, bias: false), BatchNorm2d(output), ReLU(inplace: true))
        : Sequential(Conv2d(input, output, 3, padding: 1), ReLU());

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _layers.Dispose();
        }
        base.Dispose(disposing);
    }
}
