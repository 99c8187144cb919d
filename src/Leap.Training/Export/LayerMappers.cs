using Leap.Onnx.Building;
using Leap.Training.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Leap.Training.Export;

/// <summary>
/// ONNX mappings of single layers: Conv2d (any groups, dilation, zero padding) to Conv, BatchNorm1d/2d to
/// BatchNormalization in inference mode (running statistics), ReLU to Relu, PReLU to PRelu, MaxPool2d and ManagedMaxPool2d to MaxPool,
/// AdaptiveAvgPool2d(1) to GlobalAveragePool, Flatten(1) to Flatten, Linear to Gemm, Dropout and Identity to nothing,
/// Sequential to its children in order.
/// </summary>
public static class LayerMappers
{
    public static void AddTo(ModuleMappers mappers)
    {
        ArgumentNullException.ThrowIfNull(mappers);
        mappers
            .Add<Conv2d>(Conv)
            .Add<BatchNorm>(BatchNormalization)
            .Add<ReLU>((context, _, path, input) => context.RankPreserving("Relu", path, [input]))
            .Add<PReLU>(PRelu)
            .Add<MaxPool2d>(MaxPool)
            .Add<ManagedMaxPool2d>(ManagedMaxPool)
            .Add<AdaptiveAvgPool2d>(GlobalAveragePool)
            .Add<Flatten>(Flatten)
            .Add<Linear>(Gemm)
            .Add<Dropout>((_, _, _, input) => input)
            .Add<Identity>((_, _, _, input) => input)
            .Add<Sequential>(Sequence);
    }

    /// <summary>The children of a container, each fed the previous one's output.</summary>
    public static string Sequence(OnnxExportContext context, nn.Module module, string path, string input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(module);
        string current = input;
        foreach (var (name, child) in module.named_children())
        {
            current = context.Emit(child, OnnxExportContext.Join(path, name), current);
        }
        return current;
    }

    private static string Conv(OnnxExportContext context, nn.Module module, string path, string input)
    {
        var conv = (Conv2d)module;
        if (conv.padding_mode != PaddingModes.Zeros || conv.padding_type is not null and not Padding.Valid)
        {
            throw new UnsupportedModuleException(path, module.GetType(), $"padding mode {conv.padding_mode} / {conv.padding_type} (only explicit zero padding is mapped).");
        }
        long[] padding = conv.padding_type == Padding.Valid ? [0, 0] : Pair(conv.padding, 0);
        long[] kernel = Pair(conv.kernel_size, 1);
        List<string> inputs = [input, context.Graph.Initialiser(path + ".weight", OnnxExportContext.Values(conv.weight), conv.weight.shape)];
        if (conv.bias is not null)
        {
            inputs.Add(context.Graph.Initialiser(path + ".bias", OnnxExportContext.Values(conv.bias), conv.bias.shape));
        }
        return context.RankPreserving("Conv", path, inputs,
            OnnxAttribute.Ints("kernel_shape", kernel),
            OnnxAttribute.Ints("strides", Pair(conv.stride, 1)),
            OnnxAttribute.Ints("pads", padding[0], padding[1], padding[0], padding[1]),
            OnnxAttribute.Ints("dilations", Pair(conv.dilation, 1)),
            OnnxAttribute.Int("group", conv.groups));
    }

    private static string BatchNormalization(OnnxExportContext context, nn.Module module, string path, string input)
    {
        var norm = (BatchNorm)module;
        if (norm.running_mean is null || norm.running_var is null)
        {
            throw new UnsupportedModuleException(path, module.GetType(), "it keeps no running statistics, so it normalises with the batch's own even in evaluation mode.");
        }
        int channels = (int)norm.num_features;
        float[] scale = norm.weight is null ? Enumerable.Repeat(1f, channels).ToArray() : OnnxExportContext.Values(norm.weight);
        float[] shift = norm.bias is null ? new float[channels] : OnnxExportContext.Values(norm.bias);
        var graph = context.Graph;
        return context.RankPreserving("BatchNormalization", path,
            [input,
                graph.Initialiser(path + ".weight", scale, channels),
                graph.Initialiser(path + ".bias", shift, channels),
                graph.Initialiser(path + ".running_mean", OnnxExportContext.Values(norm.running_mean), channels),
                graph.Initialiser(path + ".running_var", OnnxExportContext.Values(norm.running_var), channels)],
            OnnxAttribute.Float("epsilon", (float)norm.eps));
    }

    private static string PRelu(OnnxExportContext context, nn.Module module, string path, string input)
    {
        var prelu = (PReLU)module;
        float[] slope = OnnxExportContext.Values(prelu.weight);
        // The slope broadcasts from the right: one per channel is [C, 1, 1] on [N, C, H, W] and [C] on [N, C].
        int rank = context.RankOf(input);
        long[] shape = slope.Length == 1 ? [1] : [slope.Length, .. Enumerable.Repeat(1L, Math.Max(0, rank - 2))];
        return context.RankPreserving("PRelu", path, [input, context.Graph.Initialiser(path + ".weight", slope, shape)]);
    }

    private static string MaxPool(OnnxExportContext context, nn.Module module, string path, string input)
    {
        var pool = (MaxPool2d)module;
        long[] kernel = Pair(pool.kernel_size, 1);
        long[] padding = Pair(pool.padding, 0);
        return context.RankPreserving("MaxPool", path, [input],
            OnnxAttribute.Ints("kernel_shape", kernel),
            OnnxAttribute.Ints("strides", pool.stride is { Length: > 0 } ? Pair(pool.stride, 1) : kernel),
            OnnxAttribute.Ints("pads", padding[0], padding[1], padding[0], padding[1]),
            OnnxAttribute.Ints("dilations", Pair(pool.dilation, 1)),
            OnnxAttribute.Int("ceil_mode", pool.ceil_mode ? 1 : 0));
    }

    private static string ManagedMaxPool(OnnxExportContext context, nn.Module module, string path, string input)
    {
        var window = ((ManagedMaxPool2d)module).Window;
        return context.RankPreserving("MaxPool", path, [input],
            OnnxAttribute.Ints("kernel_shape", window.Kernel, window.Kernel),
            OnnxAttribute.Ints("strides", window.Stride, window.Stride),
            OnnxAttribute.Ints("pads", window.Padding, window.Padding, window.Padding, window.Padding));
    }

    private static string GlobalAveragePool(OnnxExportContext context, nn.Module module, string path, string input)
    {
        var pool = (AdaptiveAvgPool2d)module;
        return pool.output_size.All(s => s == 1)
            ? context.RankPreserving("GlobalAveragePool", path, [input])
            : throw new UnsupportedModuleException(path, module.GetType(), $"output size [{string.Join(", ", pool.output_size)}] (only 1 x 1, a global average pool, is mapped).");
    }

    private static string Flatten(OnnxExportContext context, nn.Module module, string path, string input)
    {
        var flatten = (Flatten)module;
        int rank = context.RankOf(input);
        bool toEnd = flatten.end_dim == -1 || flatten.end_dim == rank - 1;
        return flatten.start_dim == 1 && toEnd
            ? context.SetRank(context.Graph.Node("Flatten", path, [input], OnnxAttribute.Int("axis", 1)), 2)
            : throw new UnsupportedModuleException(path, module.GetType(), $"start_dim {flatten.start_dim}, end_dim {flatten.end_dim} (only flattening all but the batch axis is mapped).");
    }

    private static string Gemm(OnnxExportContext context, nn.Module module, string path, string input)
    {
        var linear = (Linear)module;
        if (context.RankOf(input) != 2)
        {
            throw new UnsupportedModuleException(path, module.GetType(), $"its input has rank {context.RankOf(input)}; only [N, features] input is mapped.");
        }
        List<string> inputs = [input, context.Graph.Initialiser(path + ".weight", OnnxExportContext.Values(linear.weight), linear.weight.shape)];
        if (linear.bias is not null)
        {
            inputs.Add(context.Graph.Initialiser(path + ".bias", OnnxExportContext.Values(linear.bias), linear.bias.shape));
        }
        return context.SetRank(context.Graph.Node("Gemm", path, inputs, OnnxAttribute.Int("transB", 1)), 2);
    }

    /// <summary>A 2-D setting as [h, w] (a single value is used for both; null or empty = <paramref name="absent"/>).</summary>
    private static long[] Pair(long[]? values, long absent) => values switch
    {
        null or [] => [absent, absent],
        [var both] => [both, both],
        [var h, var w] => [h, w],
        _ => throw new ArgumentException($"A 2-D setting has {values.Length} values."),
    };
}
