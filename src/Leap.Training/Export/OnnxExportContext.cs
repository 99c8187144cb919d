using Leap.Onnx.Building;
using static TorchSharp.torch;

namespace Leap.Training.Export;

/// <summary>
/// The state of one export: the graph being built, the rank of every tensor written so far (PRelu's slope and Gemm
/// depend on it) and the mappers. <see cref="Emit"/> adds a module's nodes given its input tensor and returns its output
/// tensor; composite mappers call it for their children.
/// </summary>
public sealed class OnnxExportContext
{
    private readonly Dictionary<string, int> _ranks = new(StringComparer.Ordinal);
    private readonly ModuleMappers _mappers;

    public OnnxExportContext(OnnxGraphBuilder graph, ModuleMappers mappers)
    {
        Graph = graph ?? throw new ArgumentNullException(nameof(graph));
        _mappers = mappers ?? throw new ArgumentNullException(nameof(mappers));
    }

    public OnnxGraphBuilder Graph { get; }

    /// <summary>Adds <paramref name="module"/>'s computation on <paramref name="input"/>; returns the tensor holding its result.</summary>
    /// <param name="path">The module's dotted path, for node names and errors.</param>
    /// <exception cref="UnsupportedModuleException">No mapper for the module's type (or for one of its children).</exception>
    public string Emit(nn.Module module, string path, string input)
    {
        ArgumentNullException.ThrowIfNull(module);
        var mapper = _mappers.Find(module.GetType())
            ?? throw new UnsupportedModuleException(path, module.GetType(), $"no ONNX mapping for this module type (mapped: {_mappers.Describe()}).");
        return mapper(this, module, path, input);
    }

    /// <summary>Emits a named child of <paramref name="parent"/> (as <c>named_children</c> names it).</summary>
    public string EmitChild(nn.Module parent, string parentPath, string childName, string input) =>
        Emit(Child(parent, parentPath, childName), Join(parentPath, childName), input);

    /// <summary>The child registered as <paramref name="name"/>.</summary>
    /// <exception cref="UnsupportedModuleException">No such child: the parent is not laid out as its mapper expects.</exception>
    public static nn.Module Child(nn.Module parent, string parentPath, string name)
    {
        ArgumentNullException.ThrowIfNull(parent);
        foreach (var (childName, child) in parent.named_children())
        {
            if (childName == name)
            {
                return child;
            }
        }
        throw new UnsupportedModuleException(parentPath, parent.GetType(), $"it has no child '{name}' (children: {string.Join(", ", parent.named_children().Select(c => c.name))}).");
    }

    /// <summary>The name <paramref name="parent"/> registered <paramref name="child"/> under.</summary>
    public static string NameOf(nn.Module parent, nn.Module child)
    {
        ArgumentNullException.ThrowIfNull(parent);
        return parent.named_children().FirstOrDefault(c => ReferenceEquals(c.module, child)).name
            ?? throw new ArgumentException("Not a child of the parent.", nameof(child));
    }

    public static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    /// <summary>Rank of a tensor written by <see cref="SetRank"/> (the graph input included).</summary>
    public int RankOf(string tensor) => _ranks.TryGetValue(tensor, out int rank)
        ? rank
        : throw new InvalidOperationException($"The rank of tensor '{tensor}' is not known.");

    /// <summary>Records the rank of <paramref name="tensor"/>; returns the tensor.</summary>
    public string SetRank(string tensor, int rank)
    {
        _ranks[tensor] = rank;
        return tensor;
    }

    /// <summary>Adds a node whose output has the rank of its first input.</summary>
    public string RankPreserving(string opType, string name, IEnumerable<string> inputs, params Onnx.AttributeProto[] attributes)
    {
        var list = inputs.ToList();
        return SetRank(Graph.Node(opType, name, list, attributes), RankOf(list[0]));
    }

    /// <summary>A tensor's values (any device, any float type) as float32, row-major; for initialisers.</summary>
    public static float[] Values(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var scope = NewDisposeScope();
        return tensor.detach().cpu().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
    }
}
