using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Leap.Training.Modeling;

/// <summary>
/// InsightFace's IResNet (ArcFace, Deng et al. 2019; insightface arcface_torch backbones/iresnet.py): [B, 3, H, W] ->
/// [B, D]. Stem conv3x3(3 -> 64, stride 1) + BN + PReLU; four stages of <see cref="IBasicBlock"/> (widths 64, 128, 256,
/// 512, each stage's first block stride 2); then the BN - dropout - FC - BN embedding head: BatchNorm2d(512), dropout,
/// flatten, Linear(512 * h * w -> D), BatchNorm1d(D), where h x w is the final map (<see cref="FinalFeatureMap"/>:
/// 7 x 7 at the usual 112 x 112, 8 x 4 at 128 x 64). Submodule names as insightface's.
/// </summary>
/// <remarks>
/// Convolutions start from N(0, 0.1) as in insightface. Unlike insightface, the last BatchNorm1d's scale is trained
/// (insightface fixes it at 1).
/// </remarks>
public sealed class IResNet : Module<Tensor, Tensor>, IStagedModule
{
    private const int StemWidth = 64;
    private static readonly int[] StageWidths = [64, 128, 256, 512];

    private readonly Module<Tensor, Tensor> _conv1;
    private readonly Module<Tensor, Tensor> _bn1;
    private readonly Module<Tensor, Tensor> _prelu;
    private readonly Sequential[] _stages;
    private readonly Module<Tensor, Tensor> _bn2;
    private readonly Module<Tensor, Tensor> _dropout;
    private readonly Module<Tensor, Tensor> _fc;
    private readonly Module<Tensor, Tensor> _features;

    /// <param name="blocksPerStage">Blocks of each of the four stages, e.g. <see cref="BlocksPerStage"/>.</param>
    /// <param name="imageHeight">Rows of the input images (at least 16).</param>
    /// <param name="imageWidth">Columns of the input images (at least 16).</param>
    /// <param name="embeddingDimension">D.</param>
    /// <param name="dropout">Dropout before the FC layer (insightface's default 0).</param>
    /// <exception cref="ArgumentException">The images are smaller than 16 pixels along an axis, or not four stages.</exception>
    public IResNet(IReadOnlyList<int> blocksPerStage, int imageHeight, int imageWidth, int embeddingDimension, double dropout = 0)
        : base(nameof(IResNet))
    {
        ArgumentNullException.ThrowIfNull(blocksPerStage);
        if (blocksPerStage.Count != StageWidths.Length || blocksPerStage.Any(b => b < 1))
        {
            throw new ArgumentException($"IResNet has {StageWidths.Length} stages of at least one block; got [{string.Join(", ", blocksPerStage)}].", nameof(blocksPerStage));
        }

        var (mapHeight, mapWidth) = FinalFeatureMap.For(imageHeight, imageWidth, nameof(IResNet));
        _conv1 = Conv2d(3, StemWidth, 3, padding: 1, bias: false);
        _bn1 = BatchNorm2d(StemWidth);
        _prelu = ChannelPReLU.Create(StemWidth);
        _stages = new Sequential[StageWidths.Length];
        int inPlanes = StemWidth;
        for (int s = 0; s < _stages.Length; s++)
        {
            var blocks = new List<Module<Tensor, Tensor>>();
            for (int b = 0; b < blocksPerStage[s]; b++)
            {
                blocks.Add(new IBasicBlock(inPlanes, StageWidths[s], b == 0 ? 2 : 1));
                inPlanes = StageWidths[s];
            }
            _stages[s] = Sequential(blocks);
        }

        _bn2 = BatchNorm2d(inPlanes);
        _dropout = Dropout(dropout);
        _fc = Linear(inPlanes * mapHeight * mapWidth, embeddingDimension);
        _features = BatchNorm1d(embeddingDimension);
        register_module("conv1", _conv1);
        register_module("bn1", _bn1);
        register_module("prelu", _prelu);
        for (int s = 0; s < _stages.Length; s++)
        {
            register_module($"layer{s + 1}", _stages[s]);
        }
        register_module("bn2", _bn2);
        register_module("dropout", _dropout);
        register_module("fc", _fc);
        register_module("features", _features);
        InitialiseConvolutions();
    }

    /// <summary>Blocks per stage of IResNet-18 (2, 2, 2, 2), -34 (3, 4, 6, 3) and -50 (3, 4, 14, 3).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not an IResNet kind.</exception>
    public static int[] BlocksPerStage(BackboneKind kind) => kind switch
    {
        BackboneKind.IResNet18 => [2, 2, 2, 2],
        BackboneKind.IResNet34 => [3, 4, 6, 3],
        BackboneKind.IResNet50 => [3, 4, 14, 3],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an IResNet."),
    };

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = _prelu.forward(_bn1.forward(_conv1.forward(input)));
        foreach (var stage in _stages)
        {
            x = stage.forward(x);
        }

        x = _dropout.forward(_bn2.forward(x).flatten(1));
        return _features.forward(_fc.forward(x)).MoveToOuterDisposeScope();
    }

    /// <summary>Stem, layer1 to layer4, head (bn2, dropout, fc, features).</summary>
    public IReadOnlyList<NetworkStage> Stages()
    {
        var stages = new List<NetworkStage> { NetworkStage.Sequence("stem", _conv1, _bn1, _prelu) };
        stages.AddRange(_stages.Select((stage, s) => NetworkStage.Sequence($"layer{s + 1}", stage)));
        stages.Add(new NetworkStage("head", x => _features.forward(_fc.forward(_dropout.forward(_bn2.forward(x).flatten(1)))), [_bn2, _dropout, _fc, _features]));
        return stages;
    }

    private void InitialiseConvolutions()
    {
        using var noGrad = no_grad();
        foreach (var (_, module) in named_modules())
        {
            if (module is Conv2d conv)
            {
                init.normal_(conv.weight, 0, 0.1);
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _conv1.Dispose();
            _bn1.Dispose();
            _prelu.Dispose();
            foreach (var stage in _stages)
            {
                stage.Dispose();
            }
            _bn2.Dispose();
            _dropout.Dispose();
            _fc.Dispose();
            _features.Dispose();
        }
        base.Dispose(disposing);
    }
}
