using System.Reflection;
using Leap.Training.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Leap.Training.Export;

/// <summary>
/// ONNX mappings of TorchVision's ResNet (conv1-bn1-relu-maxpool, layer1..layer4, avgpool, flatten, fc) and of its
/// residual blocks: BasicBlock and <see cref="ResNetBasicBlock"/> (conv1-bn1-Relu-conv2-bn2, plus the identity or the
/// downsample shortcut, Add, Relu) and Bottleneck and <see cref="ResNetBottleneck"/> (three convolutions). TorchVision's block classes are not public; they
/// are found as ResNet's nested types and their children by their registered names.
/// </summary>
public static class ResNetMappers
{
    private static readonly string[] Trunk = ["conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool", "flatten", "fc"];

    public static void AddTo(ModuleMappers mappers)
    {
        ArgumentNullException.ThrowIfNull(mappers);
        mappers.Add<ResNet>(ResNetTrunk).Add<ResNetBasicBlock>(BasicBlock).Add<ResNetBottleneck>(Bottleneck);
        if (typeof(ResNet).GetNestedType("BasicBlock", BindingFlags.NonPublic) is { } basic)
        {
            mappers.Add(basic, BasicBlock);
        }
        if (typeof(ResNet).GetNestedType("Bottleneck", BindingFlags.NonPublic) is { } bottleneck)
        {
            mappers.Add(bottleneck, Bottleneck);
        }
    }

    private static string ResNetTrunk(OnnxExportContext context, nn.Module module, string path, string input)
    {
        string current = input;
        foreach (string name in Trunk)
        {
            current = context.EmitChild(module, path, name, current);
        }
        return current;
    }

    private static string BasicBlock(OnnxExportContext context, nn.Module module, string path, string input)
    {
        string branch = context.EmitChild(module, path, "conv1", input);
        branch = context.EmitChild(module, path, "bn1", branch);
        branch = context.RankPreserving("Relu", path + ".relu1", [branch]);
        branch = context.EmitChild(module, path, "conv2", branch);
        branch = context.EmitChild(module, path, "bn2", branch);
        return ResidualRelu(context, module, path, input, branch);
    }

    private static string Bottleneck(OnnxExportContext context, nn.Module module, string path, string input)
    {
        string branch = input;
        for (int i = 1; i <= 3; i++)
        {
            branch = context.EmitChild(module, path, $"conv{i}", branch);
            branch = context.EmitChild(module, path, $"bn{i}", branch);
            if (i < 3)
            {
                branch = context.RankPreserving("Relu", $"{path}.relu{i}", [branch]);
            }
        }
        return ResidualRelu(context, module, path, input, branch);
    }

    /// <summary>branch + shortcut (the block input, or its downsample child's output), then Relu.</summary>
    private static string ResidualRelu(OnnxExportContext context, nn.Module block, string path, string input, string branch)
    {
        bool projects = block.named_children().Any(c => c.name == "downsample");
        string shortcut = projects ? context.EmitChild(block, path, "downsample", input) : input;
        string sum = context.RankPreserving("Add", path + ".add", [branch, shortcut]);
        return context.RankPreserving("Relu", path + ".relu", [sum]);
    }
}
