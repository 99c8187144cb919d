using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Leap.Training.Modeling;

/// <summary>
/// MobileFaceNet (Chen et al., CCBR 2018, Table 1): [B, 3, H, W] -> [B, D]. conv3x3 stride 2 (64) and depthwise conv3x3
/// (64), each + BN + PReLU; <see cref="BottleneckResidual"/> stages (expansion t, width c, repeats n, first stride s) =
/// (2, 64, 5, 2), (4, 128, 1, 2), (2, 128, 6, 1), (4, 128, 1, 2), (2, 128, 2, 1); conv1x1 to 512 + BN + PReLU; a linear
/// global depthwise convolution (GDC, kernel = the final map, <see cref="FinalFeatureMap"/>: 7 x 7 at 112 x 112) + BN;
/// Linear(512 -> D, no bias); BatchNorm1d(D). About 1.2 M parameters at D = 512.
/// </summary>
/// <remarks>Convolutions and the linear layer start from Kaiming-normal (fan out), as in insightface's arcface_torch.</remarks>
public sealed class MobileFaceNet : Module<Tensor, Tensor>, IStagedModule
{
    private const int Width = 64;
    private const int FeatureWidth = 512;
    private static readonly (int Expansion, int Channels, int Repeats, int Stride)[] BottleneckStages =
        [(2, 64, 5, 2), (4, 128, 1, 2), (2, 128, 6, 1), (4, 128, 1, 2), (2, 128, 2, 1)];

    private readonly Module<Tensor, Tensor> _stem;
    private readonly Module<Tensor, Tensor> _depthwise;
    private readonly Module<Tensor, Tensor> _bottlenecks;
    private readonly Module<Tensor, Tensor> _expand;
    private readonly Module<Tensor, Tensor> _globalDepthwise;
    private readonly Module<Tensor, Tensor> _linear;
    private readonly Module<Tensor, Tensor> _features;

    /// <param name="imageHeight">Rows of the input images (at least 16).</param>
    /// <param name="imageWidth">Columns of the input images (at least 16).</param>
    /// <param name="embeddingDimension">D.</param>
    /// <exception cref="ArgumentException">The images are smaller than 16 pixels along an axis.</exception>
    public MobileFaceNet(int imageHeight, int imageWidth, int embeddingDimension) : base(nameof(MobileFaceNet))
    {
        var (mapHeight, mapWidth) = FinalFeatureMap.For(imageHeight, imageWidth, nameof(MobileFaceNet));
        _stem = ConvBlock.Create(3, Width, (3, 3), stride: 2, padding: 1);
        _depthwise = ConvBlock.Create(Width, Width, (3, 3), padding: 1, groups: Width);
        var blocks = new List<Module<Tensor, Tensor>>();
        int channels = Width;
        foreach (var (expansion, output, repeats, stride) in BottleneckStages)
        {
            for (int i = 0; i < repeats; i++)
            {
                blocks.Add(new BottleneckResidual(channels, output, expansion, i == 0 ? stride : 1));
                channels = output;
            }
        }

        _bottlenecks = Sequential(blocks);
        _expand = ConvBlock.Create(channels, FeatureWidth, (1, 1));
        _globalDepthwise = ConvBlock.Create(FeatureWidth, FeatureWidth, (mapHeight, mapWidth), groups: FeatureWidth, linear: true);
        _linear = Linear(FeatureWidth, embeddingDimension, hasBias: false);
        _features = BatchNorm1d(embeddingDimension);
        register_module("stem", _stem);
        register_module("depthwise", _depthwise);
        register_module("bottlenecks", _bottlenecks);
        register_module("expand", _expand);
        register_module("gdc", _globalDepthwise);
        register_module("linear", _linear);
        register_module("features", _features);
        Initialise();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = _bottlenecks.forward(_depthwise.forward(_stem.forward(input)));
        x = _globalDepthwise.forward(_expand.forward(x)).flatten(1);
        return _features.forward(_linear.forward(x)).MoveToOuterDisposeScope();
    }

    /// <summary>Stem (both convolutions), the bottlenecks in two halves, head (expand, GDC, linear, features).</summary>
    public IReadOnlyList<NetworkStage> Stages()
    {
        var blocks = _bottlenecks.children().Cast<Module<Tensor, Tensor>>().ToArray();
        int half = blocks.Length / 2;
        return
        [
            NetworkStage.Sequence("stem", _stem, _depthwise),
            NetworkStage.Sequence("bottlenecks1", blocks[..half]),
            NetworkStage.Sequence("bottlenecks2", blocks[half..]),
            new NetworkStage("head", x => _features.forward(_linear.forward(_globalDepthwise.forward(_expand.forward(x)).flatten(1))),
                [_expand, _globalDepthwise, _linear, _features]),
        ];
    }

    private void Initialise()
    {
        using var noGrad = no_grad();
        foreach (var (_, module) in named_modules())
        {
            if (module is Conv2d conv)
            {
                init.kaiming_normal_(conv.weight, mode: init.FanInOut.FanOut, nonlinearity: init.NonlinearityType.ReLU);
            }
            else if (module is Linear linear)
            {
                init.kaiming_normal_(linear.weight, mode: init.FanInOut.FanOut, nonlinearity: init.NonlinearityType.ReLU);
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stem.Dispose();
            _depthwise.Dispose();
            _bottlenecks.Dispose();
            _expand.Dispose();
            _globalDepthwise.Dispose();
            _linear.Dispose();
            _features.Dispose();
        }
        base.Dispose(disposing);
    }
}
