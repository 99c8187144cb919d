using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Leap.Training.Modeling;

/// <summary>Convolution (no bias) + BatchNorm2d, then a per-channel PReLU unless the block is linear: MobileFaceNet's unit.</summary>
internal static class ConvBlock
{
    public static Sequential Create(long input, long output, (long, long) kernel, long stride = 1, long padding = 0, long groups = 1, bool linear = false)
    {
        var conv = Conv2d(input, output, kernel, stride: (stride, stride), padding: (padding, padding), groups: groups, bias: false);
        return linear
            ? Sequential(("conv", conv), ("bn", BatchNorm2d(output)))
            : Sequential(("conv", conv), ("bn", BatchNorm2d(output)), ("prelu", ChannelPReLU.Create(output)));
    }
}
