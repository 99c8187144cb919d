using Leap.Onnx;
using Leap.Training.Data;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Leap.Training.Modeling;

/// <summary>
/// The ImageNet-trained ResNet-18 that the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 ships as ONNX (a CNTK
/// 2.6 export; build/PretrainedWeights.targets copies it beside the binaries) loaded into a TorchVision <see cref="ResNet"/>.
/// <para>
/// Mapping: <see cref="OnnxResNetGraph"/> finds the stem and the basic blocks by following the graph's tensors; each
/// Conv's weight (OIHW in both) goes to convN.weight / downsample.0.weight, each BatchNormalization's scale, B, mean and
/// var to bnN.weight, .bias, .running_mean, .running_var (BN is not folded into the convolutions in this file; eps 1e-5
/// as TorchVision's). Every TorchVision tensor but fc's must be covered, and the strides, paddings and eps must agree.
/// </para>
/// <para>
/// Differences from TorchVision's resnet18: (1) CNTK's ResNet-18 has three basic blocks in its last stage (2, 2, 2, 3:
/// 22 convolutions, 15.9 M trunk parameters against 11.2 M), so the ResNet is built with the file's layout (blocks are
/// <see cref="ResNetBasicBlock"/>) and keeps every trained block; (2) the file ends at the 7 x 7 average pool (512
/// features) and has no classifier, so fc (512 -> D, our embedding layer) stays randomly initialised; (3) CNTK pads its
/// stride-2 convolutions and max pool by one less at the bottom and right, which gives the same windows as TorchVision's
/// symmetric padding on even-sized maps (all of them for 224 x 224 input; on odd-sized maps, e.g. the last stage of a
/// 112 x 112 input, TorchVision's output has one more row and column), and TorchVision pools adaptively where the file
/// pools 7 x 7 (the same for 224 x 224 input; the file itself fixes its input at 1 x 3 x 224 x 224).
/// </para>
/// </summary>
public static class ImageNetResNet18
{
    /// <summary>Where the build puts the file, relative to the application's directory.</summary>
    public const string ShippedRelativePath = "pretrained/ResNet18.onnx";

    public static string ShippedPath => Path.Combine(AppContext.BaseDirectory, ShippedRelativePath);

    /// <summary>
    /// The pretrained trunk for images normalised as Data:Normalisation = ImageNet, with a random fc to <paramref name="numClasses"/>
    /// (<see cref="CreateAsExported"/> then <see cref="AdaptStemToImageNetNormalisation"/>).
    /// </summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a basic-block ResNet TorchVision can hold; the message names the file and where.</exception>
    public static ResNet Create(string path, int numClasses)
    {
        var resnet = CreateAsExported(path, numClasses);
        AdaptStemToImageNetNormalisation(resnet);
        return resnet;
    }

    /// <summary>The pretrained trunk as exported: it reads what the ONNX file reads (BGR, 0..255, mean image subtracted).</summary>
    /// <inheritdoc cref="Create" path="/exception"/>
    public static ResNet CreateAsExported(string path, int numClasses)
    {
        var model = OnnxModelFile.Read(path);
        OnnxResNetGraph graph;
        try
        {
            graph = OnnxResNetGraph.Read(model.Graph);
            if (graph.BlocksPerStage.Count != 4)
            {
                throw new InvalidDataException($"{graph.BlocksPerStage.Count} stages where TorchVision's ResNet has 4.");
            }
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"ONNX model '{path}': {e.Message}", e);
        }
        var resnet = ResNets.ResNet18(numClasses, graph.BlocksPerStage);
        try
        {
            new WeightCopy(graph, resnet).CopyAll();
            return resnet;
        }
        catch (InvalidDataException e)
        {
            resnet.Dispose();
            throw new InvalidDataException($"ONNX model '{path}': {e.Message}", e);
        }
    }

    /// <summary>
    /// Makes an exported stem read Data:Normalisation = ImageNet input. The file's preprocessing (ResNetPreprocess.onnx in the
    /// same package) swaps RGB to BGR and subtracts a 224 x 224 mean image from pixel values in [0, 255]; no scaling. With
    /// p in [0, 1] RGB and x_c = (p_c - m_c) / s_c, 255 p_c - 255 m_c = 255 s_c x_c, so input channel c of the stem becomes
    /// 255 s_c times the file's channel 2 - c. The network then computes the file's features with the mean image replaced
    /// by the constant 255 m (the mean image's channel averages, B 103.1, G 115.9, R 123.2, are within 0.6 of it; its
    /// pixels vary by about +-13 around them).
    /// </summary>
    public static void AdaptStemToImageNetNormalisation(ResNet resnet)
    {
        ArgumentNullException.ThrowIfNull(resnet);
        var weight = resnet.state_dict()["conv1.weight"];
        using var guard = no_grad();
        using var scale = tensor(ImageSourceFactory.ImageNetStd.Select(s => 255 * s).ToArray()).view(1, 3, 1, 1);
        using var flipped = weight.flip(1);
        using var adapted = flipped.mul(scale);
        weight.copy_(adapted);
    }

    private sealed class WeightCopy(OnnxResNetGraph graph, ResNet resnet)
    {
        private readonly Dictionary<string, Tensor> _state = resnet.state_dict();
        private readonly HashSet<string> _copied = [];

        public void CopyAll()
        {
            using var guard = no_grad();
            ConvBatchNorm("conv1", "bn1", graph.Stem, stride: 2);
            foreach (var stage in graph.Blocks.GroupBy(b => b.Stage))
            {
                foreach (var (block, i) in stage.Select((b, i) => (b, i)))
                {
                    string prefix = $"layer{block.Stage}.{i}.";
                    long stride = i == 0 && block.Stage > 1 ? 2 : 1;
                    ConvBatchNorm(prefix + "conv1", prefix + "bn1", block.First, stride);
                    ConvBatchNorm(prefix + "conv2", prefix + "bn2", block.Second, 1);
                    if (block.Projection is not null)
                    {
                        ConvBatchNorm(prefix + "downsample.0", prefix + "downsample.1", block.Projection, stride);
                    }
                }
            }
            string[] missing = [.. _state.Keys.Where(k => !k.StartsWith("fc.", StringComparison.Ordinal) && !k.EndsWith(".num_batches_tracked", StringComparison.Ordinal) && !_copied.Contains(k))];
            if (missing.Length > 0)
            {
                throw new InvalidDataException($"no weights for {string.Join(", ", missing)}.");
            }
        }

        private void ConvBatchNorm(string conv, string batchNorm, ConvBatchNorm nodes, long stride)
        {
            var node = nodes.Conv;
            if (node.Input.Count > 2)
            {
                throw new InvalidDataException($"Conv '{node.Name}' has a bias, which TorchVision's {conv} does not.");
            }
            long half = graph.Initialisers.TryGetValue(node.Input[1], out var w) && w.Dims.Count == 4 ? w.Dims[3] / 2 : 0;
            long[] pads = OnnxResNetGraph.Ints(node, "pads", 0, 0, 0, 0);
            bool padsAgree = pads.Length == 4 && pads[0] == half && pads[1] == half
                && pads[2] == pads[3] && (pads[2] == half || (stride == 2 && pads[2] == half - 1));
            if (!OnnxResNetGraph.Ints(node, "strides", 1, 1).SequenceEqual([stride, stride]) || !padsAgree
                || OnnxResNetGraph.Ints(node, "dilations", 1, 1).Any(d => d != 1) || node.Attribute.Any(a => a.Name == "group" && a.I != 1))
            {
                throw new InvalidDataException($"Conv '{node.Name}' (strides [{string.Join(", ", OnnxResNetGraph.Ints(node, "strides"))}], pads [{string.Join(", ", pads)}]) does not match TorchVision's {conv} (stride {stride}, padding {half}).");
            }
            Copy(conv + ".weight", node.Input[1]);

            var bn = nodes.BatchNorm;
            float epsilon = bn.Attribute.FirstOrDefault(a => a.Name == "epsilon")?.F ?? 1e-5f;
            if (Math.Abs(epsilon - 1e-5) > 1e-9)
            {
                throw new InvalidDataException($"BatchNormalization '{bn.Name}' has epsilon {epsilon}; TorchVision's {batchNorm} has 1e-5.");
            }
            Copy(batchNorm + ".weight", bn.Input[1]);
            Copy(batchNorm + ".bias", bn.Input[2]);
            Copy(batchNorm + ".running_mean", bn.Input[3]);
            Copy(batchNorm + ".running_var", bn.Input[4]);
        }

        private void Copy(string key, string initialiser)
        {
            var target = _state.TryGetValue(key, out var t) ? t : throw new InvalidDataException($"TorchVision's ResNet has no {key} for '{initialiser}'.");
            var source = graph.Initialisers.TryGetValue(initialiser, out var s) ? s : throw new InvalidDataException($"'{initialiser}' ({key}) is not an initialiser.");
            if (!target.shape.SequenceEqual(source.Dims))
            {
                throw new InvalidDataException($"'{initialiser}' has shape [{string.Join(", ", source.Dims)}] where {key} has [{string.Join(", ", target.shape)}].");
            }
            using var values = tensor(source.ToFloats(), target.shape);
            target.copy_(values);
            _copied.Add(key);
        }
    }
}
