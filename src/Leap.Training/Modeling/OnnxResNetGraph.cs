using Leap.Onnx;

namespace Leap.Training.Modeling;

/// <summary>A Conv node and the BatchNormalization node that reads its output.</summary>
public sealed record ConvBatchNorm(NodeProto Conv, NodeProto BatchNorm);

/// <summary>One basic block: Conv-BN-Relu-Conv-BN added to the shortcut (identity, or Conv-BN when projecting), then Relu.</summary>
/// <param name="Stage">1-based, as TorchVision's layer1..layer4.</param>
public sealed record BasicBlockNodes(int Stage, ConvBatchNorm First, ConvBatchNorm Second, ConvBatchNorm? Projection);

/// <summary>
/// The trunk of a basic-block ResNet in an ONNX graph, found by following tensors rather than node names or node order
/// (exporters name nodes freely and may list a block's projection before its first convolution): the graph input feeds
/// the stem Conv-BN-Relu-MaxPool; from each block's input tensor, the Conv whose BN is followed by Relu opens the residual
/// branch and a Conv whose BN feeds the block's Add is the projection shortcut; the Relu after the Add is the next block's
/// input; the chain ends at an AveragePool or GlobalAveragePool. A block with a projection (after the first) opens a new
/// stage. Whatever follows the pool (a classifier) is not read.
/// </summary>
public sealed class OnnxResNetGraph
{
    private readonly Dictionary<string, List<NodeProto>> _consumers;

    private OnnxResNetGraph(GraphProto graph)
    {
        _consumers = [];
        foreach (var node in graph.Node)
        {
            foreach (string input in node.Input)
            {
                if (!_consumers.TryGetValue(input, out var list))
                {
                    _consumers[input] = list = [];
                }
                list.Add(node);
            }
        }
        Initialisers = graph.Initializer.ToDictionary(t => t.Name);
        // IR version < 4 lists the initialisers among the graph inputs too.
        string[] inputs = [.. graph.Input.Select(i => i.Name).Where(name => !Initialisers.ContainsKey(name))];
        if (inputs.Length != 1)
        {
            throw new InvalidDataException($"Expected one image input, found {inputs.Length}: {string.Join(", ", inputs)}.");
        }
        Stem = ConvWithBatchNorm(Single(inputs[0], "Conv"));
        var maxPool = Single(Single(Stem.BatchNorm.Output[0], "Relu").Output[0], "MaxPool");
        var blocks = new List<BasicBlockNodes>();
        int stage = 1;
        string current = maxPool.Output[0];
        while (Consumers(current) is not [{ OpType: "AveragePool" or "GlobalAveragePool" }])
        {
            var (first, second, projection, output) = ReadBlock(current);
            if (projection is not null && blocks.Count > 0)
            {
                stage++;
            }
            blocks.Add(new BasicBlockNodes(stage, first, second, projection));
            current = output;
        }
        Blocks = blocks;
        BlocksPerStage = [.. blocks.GroupBy(b => b.Stage).Select(g => g.Count())];
    }

    public ConvBatchNorm Stem { get; }
    public IReadOnlyList<BasicBlockNodes> Blocks { get; }
    public IReadOnlyList<int> BlocksPerStage { get; }
    public IReadOnlyDictionary<string, TensorProto> Initialisers { get; }

    /// <exception cref="InvalidDataException">The graph is not a basic-block ResNet trunk (the message says where it differs).</exception>
    public static OnnxResNetGraph Read(GraphProto graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return new OnnxResNetGraph(graph);
    }

    /// <summary>The integer-list attribute of a node, or <paramref name="absent"/>.</summary>
    public static long[] Ints(NodeProto node, string name, params long[] absent) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } attribute ? [.. attribute.Ints] : absent;

    private (ConvBatchNorm First, ConvBatchNorm Second, ConvBatchNorm? Projection, string Output) ReadBlock(string input)
    {
        ConvBatchNorm? first = null;
        ConvBatchNorm? projection = null;
        foreach (var conv in Consumers(input).Where(n => n.OpType == "Conv"))
        {
            var pair = ConvWithBatchNorm(conv);
            if (Consumers(pair.BatchNorm.Output[0]) is [{ OpType: "Relu" }])
            {
                first = first is null ? pair : throw Unexpected(input, "two residual branches");
            }
            else
            {
                projection = projection is null ? pair : throw Unexpected(input, "two projection shortcuts");
            }
        }
        if (first is null)
        {
            throw Unexpected(input, "no Conv-BatchNormalization-Relu residual branch");
        }
        var second = ConvWithBatchNorm(Single(Single(first.BatchNorm.Output[0], "Relu").Output[0], "Conv"));
        var add = Single(second.BatchNorm.Output[0], "Add");
        string shortcut = projection?.BatchNorm.Output[0] ?? input;
        if (add.Input.Count != 2 || !add.Input.Contains(shortcut))
        {
            throw Unexpected(input, $"the Add '{add.Name}' does not add the {(projection is null ? "block input" : "projection")}");
        }
        return (first, second, projection, Single(add.Output[0], "Relu").Output[0]);
    }

    private ConvBatchNorm ConvWithBatchNorm(NodeProto conv) => new(conv, Single(conv.Output[0], "BatchNormalization"));

    private List<NodeProto> Consumers(string tensor) => _consumers.TryGetValue(tensor, out var list) ? list : [];

    private NodeProto Single(string tensor, string opType) => Consumers(tensor) is [var node] && node.OpType == opType
        ? node
        : throw Unexpected(tensor, $"[{string.Join(", ", Consumers(tensor).Select(n => n.OpType))}] read it where a single {opType} was expected");

    private static InvalidDataException Unexpected(string tensor, string what) =>
        new($"Not a basic-block ResNet trunk at tensor '{tensor}': {what}.");
}
