using Google.Protobuf;

namespace Leap.Onnx.Building;

/// <summary>
/// Builds an ONNX graph node by node: float initialisers, nodes with one output each, and typed graph inputs and
/// outputs. Every tensor gets a unique name (a suffix is added to a name already taken), so callers can name tensors
/// after the module that produced them without tracking collisions.
/// </summary>
public sealed class OnnxGraphBuilder
{
    private readonly GraphProto _graph;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public OnnxGraphBuilder(string graphName)
    {
        _graph = new GraphProto { Name = graphName };
    }

    /// <summary>The graph built so far (nodes in topological order: each node is added after its inputs).</summary>
    public GraphProto Graph => _graph;

    /// <summary>Adds a FLOAT initialiser of shape <paramref name="dims"/>; returns its (unique) name.</summary>
    public string Initialiser(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        long count = dims.Aggregate(1L, (product, dim) => product * dim);
        if (count != values.Length)
        {
            throw new ArgumentException($"Initialiser '{name}': {values.Length} values for dims [{string.Join(", ", dims)}].", nameof(values));
        }
        var tensor = new TensorProto
        {
            Name = Unique(name),
            DataType = (int)TensorProto.Types.DataType.Float,
            RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values)),
        };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds a node of the default domain with one output named after <paramref name="name"/>; returns the output's name.</summary>
    public string Node(string opType, string name, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        string output = Unique(name);
        var node = new NodeProto { OpType = opType, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return output;
    }

    /// <summary>Declares a FLOAT graph input; a dimension is a fixed size (long) or a symbolic name (string, e.g. "N").</summary>
    public string Input(string name, params object[] dims)
    {
        string unique = Unique(name);
        _graph.Input.Add(FloatValue(unique, dims));
        return unique;
    }

    /// <summary>Makes <paramref name="tensor"/> a graph output under <paramref name="name"/> (adds an Identity when they differ).</summary>
    public void Output(string tensor, string name, params object[] dims)
    {
        string output = tensor == name ? tensor : Node("Identity", name, [tensor]);
        if (output != name)
        {
            throw new InvalidOperationException($"The output name '{name}' is already taken by another tensor.");
        }
        _graph.Output.Add(FloatValue(name, dims));
    }

    /// <summary>A model holding this graph, of the default domain's <paramref name="opset"/>, with <paramref name="metadata"/> as metadata_props.</summary>
    public ModelProto ToModel(int opset, IEnumerable<KeyValuePair<string, string>> metadata, string producerName, string producerVersion)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var model = new ModelProto
        {
            // IR version 8 is what opsets 14-17 were released with; ONNX Runtime 1.30 reads IR up to 11.
            IrVersion = 8,
            ProducerName = producerName,
            ProducerVersion = producerVersion,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        model.MetadataProps.AddRange(metadata.Select(p => new StringStringEntryProto { Key = p.Key, Value = p.Value }));
        return model;
    }

    private string Unique(string name)
    {
        string candidate = name;
        for (int n = 2; !_names.Add(candidate); n++)
        {
            candidate = $"{name}_{n}";
        }
        return candidate;
    }

    private static ValueInfoProto FloatValue(string name, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (object dim in dims)
        {
            shape.Dim.Add(dim switch
            {
                long size => new TensorShapeProto.Types.Dimension { DimValue = size },
                int size => new TensorShapeProto.Types.Dimension { DimValue = size },
                string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                _ => throw new ArgumentException($"A dimension is a size or a name, not {dim?.GetType().Name ?? "null"}.", nameof(dims)),
            });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
