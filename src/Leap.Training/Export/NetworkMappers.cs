using Leap.Onnx.Building;
using Leap.Training.Modeling;
using static TorchSharp.torch;

namespace Leap.Training.Export;

/// <summary>
/// ONNX mappings of this project's networks: <see cref="EmbeddingNetwork"/> (backbone, embedding layer, BN),
/// <see cref="ChannelAdapter"/> (a grey image repeated to 3 channels by a Concat, then the inner backbone) and
/// <see cref="SmallConvNet"/> (its layer sequence).
/// </summary>
public static class NetworkMappers
{
    public static void AddTo(ModuleMappers mappers)
    {
        ArgumentNullException.ThrowIfNull(mappers);
        mappers
            .Add<EmbeddingNetwork>(Embedding)
            .Add<ChannelAdapter>(Adapter)
            .Add<SmallConvNet>((context, module, path, input) => Children(context, module, path, input, ((SmallConvNet)module).Layers));
    }

    private static string Embedding(OnnxExportContext context, nn.Module module, string path, string input)
    {
        var network = (EmbeddingNetwork)module;
        return Children(context, module, path, input, network.Backbone, network.Embedding, network.Norm);
    }

    private static string Adapter(OnnxExportContext context, nn.Module module, string path, string input)
    {
        var adapter = (ChannelAdapter)module;
        string current = adapter.InputChannels == 1
            ? context.RankPreserving("Concat", path + ".repeat", [input, input, input], OnnxAttribute.Int("axis", 1))
            : input;
        return Children(context, module, path, current, adapter.Inner);
    }

    private static string Children(OnnxExportContext context, nn.Module parent, string path, string input, params nn.Module[] children)
    {
        string current = input;
        foreach (var child in children)
        {
            current = context.Emit(child, OnnxExportContext.Join(path, OnnxExportContext.NameOf(parent, child)), current);
        }
        return current;
    }
}
