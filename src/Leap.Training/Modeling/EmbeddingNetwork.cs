using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Leap.Training.Modeling;

/// <summary>Backbone -> embedding layer (linear, D) -> BatchNorm1d(D), as in the paper ("features after BN").</summary>
public sealed class EmbeddingNetwork : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> _backbone;
    private readonly Module<Tensor, Tensor> _embedding;
    private readonly Module<Tensor, Tensor> _norm;

    /// <param name="backbone">Feature extractor.</param>
    /// <param name="backboneFeatures">Its output size; 0 when the backbone already ends in the embedding layer.</param>
    /// <param name="embeddingDimension">D.</param>
    /// <param name="batchNorm">BatchNorm1d after the embedding layer.</param>
    public EmbeddingNetwork(Module<Tensor, Tensor> backbone, int backboneFeatures, int embeddingDimension, bool batchNorm = true) : base(nameof(EmbeddingNetwork))
    {
        _backbone = backbone;
        _embedding = backboneFeatures > 0 ? Linear(backboneFeatures, embeddingDimension) : Identity();
        _norm = batchNorm ? BatchNorm1d(embeddingDimension) : Identity();
        EmbeddingDimension = embeddingDimension;
        RegisterComponents();
    }

    public int EmbeddingDimension { get; }

    /// <summary>The feature extractor (for the ONNX exporter).</summary>
    internal Module<Tensor, Tensor> Backbone => _backbone;

    /// <summary>The linear embedding layer, or an identity when the backbone ends in it.</summary>
    internal Module<Tensor, Tensor> Embedding => _embedding;

    /// <summary>The BatchNorm1d after the embedding layer, or an identity.</summary>
    internal Module<Tensor, Tensor> Norm => _norm;

    public override Tensor forward(Tensor input) => _norm.forward(_embedding.forward(_backbone.forward(input)));

    /// <summary>
    /// The network cut into consecutive stages (the backbone's own, e.g. stem, each residual stage and head, then the
    /// embedding layer and its batch norm when present), for a backward that runs stage by stage. Every parameter is in
    /// exactly one stage.
    /// </summary>
    public IReadOnlyList<NetworkStage> Stages()
    {
        var stages = _backbone is IStagedModule staged ? staged.Stages().ToList() : [NetworkStage.Sequence("backbone", _backbone)];
        if (_embedding is not TorchSharp.Modules.Identity || _norm is not TorchSharp.Modules.Identity)
        {
            stages.Add(NetworkStage.Sequence("embedding", _embedding, _norm));
        }
        return stages;
    }

    /// <summary>
    /// Builds the network for a backbone kind and the images it will be fed; ResNets, IResNets and MobileFaceNet take 3
    /// channels (grey images are repeated).
    /// </summary>
    /// <remarks>
    /// Without batch norm only the small CNN is available (the other backbones' own BN layers stay). IResNets and
    /// MobileFaceNet end in their own embedding layer and BatchNorm1d, and size their head for
    /// <paramref name="input"/>'s height and width (at least 16x16); SmallCnn and the ResNets pool globally and take any size.
    /// </remarks>
    /// <param name="input">Channels, height and width of the images (after resizing).</param>
    /// <param name="imageNetResNet18">ResNet18 only: the ONNX file of <see cref="ImageNetResNet18"/> to start from; null = random.</param>
    /// <exception cref="FileNotFoundException">No file at <paramref name="imageNetResNet18"/>.</exception>
    /// <exception cref="InvalidDataException">That file is not a ResNet TorchVision can hold.</exception>
    /// <exception cref="ArgumentException">An IResNet or MobileFaceNet for images smaller than 16x16; the message names the size.</exception>
    public static EmbeddingNetwork Create(BackboneKind kind, ImageShape input, int embeddingDimension, bool batchNorm = true, string? imageNetResNet18 = null)
    {
        if (kind != BackboneKind.SmallCnn)
        {
            // Every backbone but SmallCnn has 1x1 convolutions, whose oneDNN backward crashes on some CPUs; limit the ISA before any of them runs.
            Platform.OneDnnIsaLimit.Apply();
        }

        var network = Build(kind, input, embeddingDimension, batchNorm, imageNetResNet18);
        StopCountingBatches(network);
        return network;
    }

    /// <summary>
    /// Loads weights saved by <c>save</c>, also from checkpoints written before the batch-norm counters were dropped
    /// (their extra num_batches_tracked entries are ignored); every parameter and buffer of this network must be in the
    /// file.
    /// </summary>
    /// <exception cref="InvalidDataException">The file lacks some of this network's weights; the message names them.</exception>
    public void LoadWeights(string path)
    {
        var loaded = new Dictionary<string, bool>();
        load(path, strict: false, loadedParameters: loaded);
        string[] missing = state_dict().Keys.Where(k => !loaded.GetValueOrDefault(k)).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidDataException($"'{path}' lacks {missing.Length} of the network's weights: {string.Join(", ", missing.Take(5))}.");
        }
    }

    /// <summary>
    /// Drops every batch norm's num_batches_tracked counter. With a fixed momentum (0.1) it is never read, and TorchSharp
    /// 0.107's BatchNorm.forward increments it through implicit Scalar temporaries that the finalizer can free while the
    /// native call still uses them ("Unknown scalar type" / "alpha must not be a floating point number" mid-run).
    /// </summary>
    private static void StopCountingBatches(Module module)
    {
        foreach (var (_, child) in module.named_modules())
        {
            if (child is TorchSharp.Modules.BatchNorm norm && norm.num_batches_tracked is not null)
            {
                norm.num_batches_tracked = null;
            }
        }
    }

    private static EmbeddingNetwork Build(BackboneKind kind, ImageShape input, int embeddingDimension, bool batchNorm, string? imageNetResNet18) => kind switch
    {
        _ when imageNetResNet18 is not null && kind != BackboneKind.ResNet18 =>
            throw new ArgumentException($"ImageNet weights are for ResNet18, not {kind}.", nameof(imageNetResNet18)),
        BackboneKind.SmallCnn => new EmbeddingNetwork(new SmallConvNet(input.Channels, batchNorm), SmallConvNet.FeatureDimension, embeddingDimension, batchNorm),
        // TorchVision's ResNet ends in fc: (512 | 2048) -> num_classes; with num_classes = D that fc is the embedding layer.
        BackboneKind.ResNet18 => new EmbeddingNetwork(new ChannelAdapter(input.Channels, imageNetResNet18 is null
            ? ResNets.ResNet18(embeddingDimension)
            : ImageNetResNet18.Create(imageNetResNet18, embeddingDimension)), 0, embeddingDimension),
        BackboneKind.ResNet50 => new EmbeddingNetwork(new ChannelAdapter(input.Channels, ResNets.ResNet50(embeddingDimension)), 0, embeddingDimension),
        // IResNet and MobileFaceNet end in Linear -> BatchNorm1d(D) themselves: no layer is added after them.
        BackboneKind.IResNet18 or BackboneKind.IResNet34 or BackboneKind.IResNet50 => new EmbeddingNetwork(
            new ChannelAdapter(input.Channels, new IResNet(IResNet.BlocksPerStage(kind), input.Height, input.Width, embeddingDimension)), 0, embeddingDimension, batchNorm: false),
        BackboneKind.MobileFaceNet => new EmbeddingNetwork(
            new ChannelAdapter(input.Channels, new MobileFaceNet(input.Height, input.Width, embeddingDimension)), 0, embeddingDimension, batchNorm: false),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown backbone."),
    };

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _backbone.Dispose();
            _embedding.Dispose();
            _norm.Dispose();
        }
        base.Dispose(disposing);
    }
}
