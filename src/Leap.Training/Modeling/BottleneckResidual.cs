using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Leap.Training.Modeling;

/// <summary>
/// MobileNetV2's inverted bottleneck as MobileFaceNet uses it: expand 1x1 (conv + BN + PReLU) to <c>expansion</c> times
/// the input width, depthwise 3x3 with the stride (conv + BN + PReLU), linear 1x1 projection (conv + BN); the input is
/// added back when the stride is 1 and the width stays.
/// </summary>
public sealed class BottleneckResidual : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> _expand;
    private readonly Module<Tensor, Tensor> _depthwise;
    private readonly Module<Tensor, Tensor> _project;
    private readonly bool _residual;

    public BottleneckResidual(int input, int output, int expansion, int stride) : base(nameof(BottleneckResidual))
    {
        int hidden = input * expansion;
        _expand = ConvBlock.Create(input, hidden, (1, 1));
        _depthwise = ConvBlock.Create(hidden, hidden, (3, 3), stride: stride, padding: 1, groups: hidden);
        _project = ConvBlock.Create(hidden, output, (1, 1), linear: true);
        _residual = stride == 1 && input == output;
        register_module("expand", _expand);
        register_module("depthwise", _depthwise);
        register_module("project", _project);
    }

    /// <summary>Whether the block adds its input to the branch (stride 1 and as many channels out as in).</summary>
    public bool HasShortcut => _residual;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var branch = _project.forward(_depthwise.forward(_expand.forward(input)));
        return (_residual ? ResidualSum.AddInPlace(branch, input) : branch).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _expand.Dispose();
            _depthwise.Dispose();
            _project.Dispose();
        }
        base.Dispose(disposing);
    }
}
