using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Leap.Training.Modeling;

/// <summary>Feeds single-channel images to a 3-channel backbone by repeating the channel.</summary>
public sealed class ChannelAdapter : Module<Tensor, Tensor>, IStagedModule
{
    private readonly Module<Tensor, Tensor> _inner;
    private readonly int _inputChannels;

    public ChannelAdapter(int inputChannels, Module<Tensor, Tensor> inner) : base(nameof(ChannelAdapter))
    {
        _inputChannels = inputChannels;
        _inner = inner;
        RegisterComponents();
    }

    /// <summary>Channels of the images fed in: 1 (repeated to 3) or 3.</summary>
    public int InputChannels => _inputChannels;

    /// <summary>The 3-channel backbone.</summary>
    internal Module<Tensor, Tensor> Inner => _inner;

    public override Tensor forward(Tensor input)
    {
        if (_inputChannels == 1)
        {
            using var repeated = input.expand(-1, 3, -1, -1);
            return _inner.forward(repeated);
        }
        return _inner.forward(input);
    }

    /// <summary>The inner backbone's stages (one when it has none), the first fed the repeated channel.</summary>
    public IReadOnlyList<NetworkStage> Stages()
    {
        var stages = _inner switch
        {
            IStagedModule staged => staged.Stages(),
            ResNet resnet => TorchVisionResNetStages.Of(resnet),
            _ => [NetworkStage.Sequence("backbone", _inner)],
        };
        return _inputChannels == 1 ? [stages[0].AfterInput(x => x.expand(-1, 3, -1, -1)), .. stages.Skip(1)] : stages;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
