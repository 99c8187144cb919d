using Google.Protobuf;
using System.Runtime.InteropServices;

namespace Leap.Onnx.Building;

/// <summary>
/// Folds inference-mode BatchNormalization nodes into the Conv or Gemm (transB = 1) that feeds them: with
/// s = scale / sqrt(var + epsilon) per output channel, W' = s W and b' = s (b - mean) + B. A BatchNormalization is folded
/// only when its input is the output of such a node and nothing else reads that output, and the weights are FLOAT
/// initialisers; any other (e.g. a BN before a convolution, as in IResNet blocks) stays as it is.
/// </summary>
public static class BatchNormFolding
{
    /// <summary>Folds what can be folded in place; returns how many BatchNormalization nodes were removed.</summary>
    public static int Apply(GraphProto graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var initialisers = graph.Initializer.ToDictionary(t => t.Name);
        var producers = graph.Node.ToDictionary(n => n.Output[0]);
        var readers = graph.Node.SelectMany(n => n.Input).Concat(graph.Output.Select(o => o.Name))
            .GroupBy(name => name).ToDictionary(g => g.Key, g => g.Count());
        int folded = 0;
        foreach (var bn in graph.Node.Where(n => n.OpType == "BatchNormalization").ToList())
        {
            if (!producers.TryGetValue(bn.Input[0], out var producer) || readers[bn.Input[0]] != 1
                || producer.OpType is not ("Conv" or "Gemm") || !IsPlainGemm(producer)
                || bn.Input.Skip(1).Any(i => !initialisers.ContainsKey(i)) || !initialisers.ContainsKey(producer.Input[1])
                || (producer.Input.Count > 2 && !initialisers.ContainsKey(producer.Input[2])))
            {
                continue;
            }

            float epsilon = bn.Attribute.FirstOrDefault(a => a.Name == "epsilon")?.F ?? 1e-5f;
            float[] scale = initialisers[bn.Input[1]].ToFloats();
            float[] shift = initialisers[bn.Input[2]].ToFloats();
            float[] mean = initialisers[bn.Input[3]].ToFloats();
            float[] variance = initialisers[bn.Input[4]].ToFloats();
            var weight = initialisers[producer.Input[1]];
            float[] w = weight.ToFloats();
            int channels = (int)weight.Dims[0];
            int perChannel = w.Length / channels;
            float[] bias = producer.Input.Count > 2 ? initialisers[producer.Input[2]].ToFloats() : new float[channels];
            for (int c = 0; c < channels; c++)
            {
                double s = scale[c] / Math.Sqrt((double)variance[c] + epsilon);
                for (int k = 0; k < perChannel; k++)
                {
                    w[(c * perChannel) + k] = (float)(w[(c * perChannel) + k] * s);
                }
                bias[c] = (float)(((bias[c] - (double)mean[c]) * s) + shift[c]);
            }

            SetValues(weight, w);
            if (producer.Input.Count > 2)
            {
                SetValues(initialisers[producer.Input[2]], bias);
            }
            else
            {
                var biasTensor = new TensorProto { Name = producer.Input[1] + "_folded_bias", DataType = (int)TensorProto.Types.DataType.Float };
                biasTensor.Dims.Add(channels);
                SetValues(biasTensor, bias);
                graph.Initializer.Add(biasTensor);
                initialisers[biasTensor.Name] = biasTensor;
                producer.Input.Add(biasTensor.Name);
            }

            // The producer now writes what the BN wrote; the BN and its parameters go.
            producer.Output[0] = bn.Output[0];
            graph.Node.Remove(bn);
            foreach (string unused in bn.Input.Skip(1))
            {
                graph.Initializer.Remove(initialisers[unused]);
            }
            folded++;
        }
        return folded;
    }

    private static bool IsPlainGemm(NodeProto node) => node.OpType != "Gemm"
        || (node.Attribute.Any(a => a.Name == "transB" && a.I == 1)
            && !node.Attribute.Any(a => a.Name is "transA" && a.I != 0)
            && !node.Attribute.Any(a => a.Name is "alpha" or "beta" && a.F != 1f));

    private static void SetValues(TensorProto tensor, float[] values)
    {
        tensor.FloatData.Clear();
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
    }
}
