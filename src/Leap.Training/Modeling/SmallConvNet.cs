using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Leap.Training.Modeling;

/// <summary>conv-BN-ReLU x3 with pooling, global average pool: [B, C, H, W] -> [B, 128]. For fast CPU runs.</summary>
public sealed class SmallConvNet : Module<Tensor, Tensor>
{
    private readonly Sequential _layers;

    public SmallConvNet(int inputChannels, bool batchNorm = true) : base(nameof(SmallConvNet))
    {
        _layers = Sequential(
            Block(inputChannels, 32, batchNorm), MaxPool2d(2),
            Block(32, 64, batchNorm), MaxPool2d(2),
            Block(64, 128, batchNorm), AdaptiveAvgPool2d(1), Flatten());
        RegisterComponents();
    }

    public const int FeatureDimension = 128;

    /// <summary>The layers, in order.</summary>
    internal Sequential Layers => _layers;

    public override Tensor forward(Tensor input) => _layers.forward(input);

    private static Sequential Block(int input, int output, bool batchNorm) => batchNorm
        ? Sequential(Conv2d(input, output, 3, padding: 1, bias: false), BatchNorm2d(output), ReLU())
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
