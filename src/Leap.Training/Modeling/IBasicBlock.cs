using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Leap.Training.Modeling;

/// <summary>
/// The "improved" basic block of InsightFace's IResNet: BN - conv3x3 - BN - PReLU - conv3x3(stride) - BN, plus the
/// shortcut (identity, or 1x1 conv + BN when the shape changes), with no activation after the sum. Submodule names as
/// insightface's (bn1, conv1, bn2, prelu, conv2, bn3, downsample).
/// </summary>
public sealed class IBasicBlock : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> _bn1;
    private readonly Module<Tensor, Tensor> _conv1;
    private readonly Module<Tensor, Tensor> _bn2;
    private readonly Module<Tensor, Tensor> _prelu;
    private readonly Module<Tensor, Tensor> _conv2;
    private readonly Module<Tensor, Tensor> _bn3;
    private readonly Module<Tensor, Tensor>? _downsample;

    public IBasicBlock(int inPlanes, int planes, int stride) : base(nameof(IBasicBlock))
    {
        _bn1 = BatchNorm2d(inPlanes);
        _conv1 = Conv2d(inPlanes, planes, 3, padding: 1, bias: false);
        _bn2 = BatchNorm2d(planes);
        _prelu = ChannelPReLU.Create(planes);
        _conv2 = Conv2d(planes, planes, 3, stride: stride, padding: 1, bias: false);
        _bn3 = BatchNorm2d(planes);
        if (stride != 1 || inPlanes != planes)
        {
            _downsample = Sequential(Conv2d(inPlanes, planes, 1, stride: stride, bias: false), BatchNorm2d(planes));
        }

        register_module("bn1", _bn1);
        register_module("conv1", _conv1);
        register_module("bn2", _bn2);
        register_module("prelu", _prelu);
        register_module("conv2", _conv2);
        register_module("bn3", _bn3);
        if (_downsample is not null)
        {
            register_module("downsample", _downsample);
        }
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var branch = _conv1.forward(_bn1.forward(input));
        branch = _prelu.forward(_bn2.forward(branch));
        branch = _bn3.forward(_conv2.forward(branch));
        var shortcut = _downsample?.forward(input) ?? input;
        return ResidualSum.AddInPlace(branch, shortcut).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _bn1.Dispose();
            _conv1.Dispose();
            _bn2.Dispose();
            _prelu.Dispose();
            _conv2.Dispose();
            _bn3.Dispose();
            _downsample?.Dispose();
        }
        base.Dispose(disposing);
    }
}
