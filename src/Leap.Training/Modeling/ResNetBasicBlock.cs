using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Leap.Training.Modeling;

/// <summary>
/// TorchVision's basic block (conv3x3-BN-ReLU-conv3x3-BN, plus the shortcut, then ReLU) with its submodule names (conv1,
/// bn1, conv2, bn2, downsample). TorchSharp's own is not public, and <see cref="ImageNetResNet18"/> builds a
/// <see cref="TorchSharp.Modules.ResNet"/> with a stage layout resnet18() does not offer.
/// </summary>
public sealed class ResNetBasicBlock : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> _conv1;
    private readonly Module<Tensor, Tensor> _bn1;
    private readonly Module<Tensor, Tensor> _conv2;
    private readonly Module<Tensor, Tensor> _bn2;
    private readonly Module<Tensor, Tensor>? _downsample;

    /// <param name="downsample">The projection shortcut (1x1 conv, BN), or null for the identity.</param>
    /// <param name="norm">Builds the normalisation for a channel count; null = BatchNorm2d.</param>
    public ResNetBasicBlock(int inPlanes, int planes, int stride, Module<Tensor, Tensor>? downsample, Func<int, Module<Tensor, Tensor>>? norm = null)
        : base(nameof(ResNetBasicBlock))
    {
        norm ??= channels => BatchNorm2d(channels);
        _conv1 = Conv2d(inPlanes, planes, 3, stride: stride, padding: 1, bias: false);
        _bn1 = norm(planes);
        _conv2 = Conv2d(planes, planes, 3, padding: 1, bias: false);
        _bn2 = norm(planes);
        _downsample = downsample;
        register_module("conv1", _conv1);
        register_module("bn1", _bn1);
        register_module("conv2", _conv2);
        register_module("bn2", _bn2);
        if (_downsample is not null)
        {
            register_module("downsample", _downsample);
        }
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var branch = functional.relu(_bn1.forward(_conv1.forward(input)));
        branch = _bn2.forward(_conv2.forward(branch));
        var shortcut = _downsample?.forward(input) ?? input;
        return functional.relu(ResidualSum.AddInPlace(branch, shortcut)).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _conv1.Dispose();
            _bn1.Dispose();
            _conv2.Dispose();
            _bn2.Dispose();
            _downsample?.Dispose();
        }
        base.Dispose(disposing);
    }
}
