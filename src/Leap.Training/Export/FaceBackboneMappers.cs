using Leap.Onnx.Building;
using Leap.Training.Modeling;
using static TorchSharp.torch;

namespace Leap.Training.Export;

/// <summary>
/// ONNX mappings of the face backbones: <see cref="IResNet"/> (conv1-bn1-prelu, layer1..layer4 of
/// <see cref="IBasicBlock"/>, then bn2, flatten, dropout, fc, features) with its blocks (bn1-conv1-bn2-prelu-conv2-bn3
/// plus the identity or downsample shortcut, Add, no activation after the sum), and <see cref="MobileFaceNet"/> (stem,
/// depthwise, bottlenecks, expand, gdc, flatten, linear, features) with its <see cref="BottleneckResidual"/> blocks
/// (expand-depthwise-project, Add when the shapes allow).
/// </summary>
public static class FaceBackboneMappers
{
    private static readonly string[] IResNetStem = ["conv1", "bn1", "prelu", "layer1", "layer2", "layer3", "layer4", "bn2"];
    private static readonly string[] IResNetHead = ["dropout", "fc", "features"];
    private static readonly string[] IBasicBlockBranch = ["bn1", "conv1", "bn2", "prelu", "conv2", "bn3"];
    private static readonly string[] MobileFaceNetTrunk = ["stem", "depthwise", "bottlenecks", "expand", "gdc"];
    private static readonly string[] MobileFaceNetHead = ["linear", "features"];
    private static readonly string[] BottleneckBranch = ["expand", "depthwise", "project"];

    public static void AddTo(ModuleMappers mappers)
    {
        ArgumentNullException.ThrowIfNull(mappers);
        mappers.Add<IResNet>(Trunk(IResNetStem, IResNetHead))
            .Add<IBasicBlock>(Residual(IBasicBlockBranch))
            .Add<MobileFaceNet>(Trunk(MobileFaceNetTrunk, MobileFaceNetHead))
            .Add<BottleneckResidual>(Residual(BottleneckBranch));
    }

    /// <summary>Children <paramref name="before"/> in order, flatten to [N, C·H·W], then children <paramref name="after"/>.</summary>
    private static ModuleMapper Trunk(string[] before, string[] after) => (context, module, path, input) =>
    {
        string current = input;
        foreach (string name in before)
        {
            current = context.EmitChild(module, path, name, current);
        }

        current = context.SetRank(context.Graph.Node("Flatten", OnnxExportContext.Join(path, "flatten"), [current], OnnxAttribute.Int("axis", 1)), 2);
        foreach (string name in after)
        {
            current = context.EmitChild(module, path, name, current);
        }

        return current;
    };

    /// <summary>
    /// The branch's children in order plus the shortcut: the block input, or its downsample child's output; a block
    /// whose branch changes the shape (MobileFaceNet's strided or widening bottlenecks) has no shortcut.
    /// </summary>
    private static ModuleMapper Residual(string[] branchChildren) => (context, module, path, input) =>
    {
        string branch = input;
        foreach (string name in branchChildren)
        {
            branch = context.EmitChild(module, path, name, branch);
        }

        if (module is BottleneckResidual bottleneck && !bottleneck.HasShortcut)
        {
            return branch;
        }

        bool projects = module.named_children().Any(c => c.name == "downsample");
        string shortcut = projects ? context.EmitChild(module, path, "downsample", input) : input;
        return context.RankPreserving("Add", OnnxExportContext.Join(path, "add"), [branch, shortcut]);
    };
}
