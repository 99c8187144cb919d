using Leap.Onnx;
using Leap.Onnx.Building;
using Leap.Training.Modeling;

namespace Leap.Training.Export;

/// <summary>
/// An <see cref="EmbeddingNetwork"/> as an ONNX model (TorchSharp has no exporter): the module tree is walked by
/// <see cref="ModuleMappers"/>, batch norms in inference mode (running statistics) or, with <c>foldBatchNorm</c>, folded
/// into the Conv/Gemm before them (<see cref="BatchNormFolding"/>). Input <c>images</c> [N, C, H, W] float with a dynamic
/// batch axis N, output <c>embeddings</c> [N, D] (as the network computes them, not L2-normalised); the preprocessing and
/// training summary go into metadata_props (<see cref="EmbeddingModelMetadata"/>).
/// </summary>
public static class EmbeddingNetworkExport
{
    /// <summary>Default-domain opset of the exported graph; ONNX Runtime 1.30 runs opsets up to 23.</summary>
    public const int Opset = 17;

    public const string InputName = "images";
    public const string OutputName = "embeddings";

    /// <exception cref="UnsupportedModuleException">A module of the network has no mapping; the message names its path and type.</exception>
    public static ModelProto ToOnnx(EmbeddingNetwork network, EmbeddingModelMetadata metadata, bool foldBatchNorm, ModuleMappers? mappers = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(metadata);
        var graph = new OnnxGraphBuilder("leap_embedding_network");
        var context = new OnnxExportContext(graph, mappers ?? ModuleMappers.Default());
        object height = metadata.Height > 0 ? metadata.Height : "H";
        object width = metadata.Width > 0 ? metadata.Width : "W";
        string input = context.SetRank(graph.Input(InputName, "N", metadata.Channels, height, width), 4);
        string output = context.Emit(network, "", input);
        if (context.RankOf(output) != 2)
        {
            throw new UnsupportedModuleException("", network.GetType(), $"its output has rank {context.RankOf(output)}, not [N, D].");
        }
        graph.Output(output, OutputName, "N", metadata.EmbeddingDimension);
        if (foldBatchNorm)
        {
            BatchNormFolding.Apply(graph.Graph);
        }
        return graph.ToModel(Opset, (metadata with { BatchNormFolded = foldBatchNorm }).ToProperties(), "leap", typeof(EmbeddingNetworkExport).Assembly.GetName().Version?.ToString() ?? "");
    }
}
