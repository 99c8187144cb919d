using Google.Protobuf;
using Leap.Onnx;
using Leap.Training.Export;
using Leap.Training.Modeling;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using TorchSharp.Modules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Leap.Training.Tests.Export;

/// <summary>
/// The exported ONNX model run by ONNX Runtime gives the TorchSharp network's evaluation-mode embeddings, for every
/// backbone, with batch norms kept and folded, for batch sizes 1 and 7. Batch norms are made non-trivial first: running
/// statistics taken from a batch (momentum 1) and random affine parameters.
/// </summary>
public sealed class EmbeddingNetworkExportTests(ITestOutputHelper output)
{
    private const float Tolerance = 1e-4f;

    [Theory]
    [InlineData(BackboneKind.SmallCnn, 1, 28, false)]
    [InlineData(BackboneKind.SmallCnn, 1, 28, true)]
    [InlineData(BackboneKind.SmallCnn, 3, 32, true)]
    [InlineData(BackboneKind.ResNet18, 3, 32, false)]
    [InlineData(BackboneKind.ResNet18, 1, 32, true)]
    [InlineData(BackboneKind.ResNet50, 3, 32, false)]
    [InlineData(BackboneKind.ResNet50, 3, 32, true)]
    [InlineData(BackboneKind.IResNet18, 3, 32, false)]
    [InlineData(BackboneKind.IResNet18, 1, 32, true)]
    [InlineData(BackboneKind.MobileFaceNet, 3, 32, false)]
    [InlineData(BackboneKind.MobileFaceNet, 3, 32, true)]
    public void ToOnnx_RandomisedBatchNorms_OnnxRuntimeMatchesTorchSharpForBatchesOf1And7(BackboneKind backbone, int channels, int size, bool foldBatchNorm)
    {
        using var scope = NewDisposeScope();
        random.manual_seed(7);
        using var network = EmbeddingNetwork.Create(backbone, new ImageShape(channels, size, size), 16);
        RandomiseBatchNorms(network, randn(8, channels, size, size));
        var model = EmbeddingNetworkExport.ToOnnx(network, Metadata(backbone, channels, size), foldBatchNorm);
        int batchNorms = model.Graph.Node.Count(n => n.OpType == "BatchNormalization");
        // IResNet's pre-activation batch norms (before a convolution, before the flatten) have no layer before them to fold into.
        Assert.True(foldBatchNorm && backbone is not (BackboneKind.IResNet18 or BackboneKind.IResNet34 or BackboneKind.IResNet50) ? batchNorms == 0 : batchNorms > 0,
            $"{batchNorms} BatchNormalization nodes with fold = {foldBatchNorm}");

        using var session = new InferenceSession(model.ToByteArray());
        foreach (int batch in new[] { 1, 7 })
        {
            var images = randn(batch, channels, size, size);
            float[] expected = TorchEmbeddings(network, images);
            float[] actual = Run(session, images);
            Assert.Equal(expected.Length, actual.Length);
            float difference = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
            float scale = expected.Max(Math.Abs);
            output.WriteLine($"{backbone} C={channels} {size}x{size} fold={foldBatchNorm} batch {batch}: max |ORT - TorchSharp| = {difference:e2} (max |embedding| {scale:f3})");
            Assert.True(scale > 0.1f, $"Expected non-trivial embeddings; the largest is {scale}.");
            Assert.True(difference <= Tolerance, $"Expected ONNX Runtime within {Tolerance} of TorchSharp; the largest difference is {difference}.");
        }
    }

    [Fact]
    public void ToOnnx_AnyNetwork_DeclaresDynamicBatchAndWritesMetadata()
    {
        using var network = EmbeddingNetwork.Create(BackboneKind.SmallCnn, new ImageShape(1, 28, 28), 16);
        var model = EmbeddingNetworkExport.ToOnnx(network, Metadata(BackboneKind.SmallCnn, 1, 28), foldBatchNorm: false);
        Assert.Equal("N", model.Graph.Input.Single().Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal(EmbeddingNetworkExport.InputName, model.Graph.Input.Single().Name);
        Assert.Equal(EmbeddingNetworkExport.OutputName, model.Graph.Output.Single().Name);
        Assert.Equal(EmbeddingNetworkExport.Opset, model.OpsetImport.Single().Version);
        var read = EmbeddingModelMetadata.FromProperties(model.MetadataProps.ToDictionary(p => p.Key, p => p.Value), "test");
        Assert.Equal(Metadata(BackboneKind.SmallCnn, 1, 28) with { Mean = read.Mean, Std = read.Std }, read);
        Assert.Equal([0.5f], read.Mean);
        Assert.Equal([0.35f], read.Std);
    }

    [Fact]
    public void ToOnnx_UnsupportedModule_ErrorNamesItsPathAndType()
    {
        using var network = new EmbeddingNetwork(nn.Sequential(nn.Conv2d(1, 4, 3), nn.GELU(), nn.AdaptiveAvgPool2d(1), nn.Flatten()), 4, 16);
        var error = Assert.Throws<UnsupportedModuleException>(() => EmbeddingNetworkExport.ToOnnx(network, Metadata(BackboneKind.SmallCnn, 1, 28), false));
        output.WriteLine(error.Message);
        Assert.Equal(typeof(GELU), error.ModuleType);
        Assert.EndsWith(".1", error.ModulePath, StringComparison.Ordinal);
        Assert.Contains($"'{error.ModulePath}' (TorchSharp.Modules.GELU)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToOnnx_PReLUAndGroupedConvolution_OnnxRuntimeMatchesTorchSharp()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(3);
        // A MobileFaceNet-like depthwise block: grouped convolutions, per-channel PReLU on maps and on the embedding; and,
        // as IResNet blocks open, a BN before a convolution, which folding must leave alone.
        var trunk = nn.Sequential(nn.BatchNorm2d(3), nn.Conv2d(3, 8, 3, padding: 1), nn.BatchNorm2d(8), nn.PReLU(8),
            nn.Conv2d(8, 8, 3, stride: 2, padding: 1, groups: 8, bias: false), nn.BatchNorm2d(8), nn.PReLU(1),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.3), nn.Linear(8, 6), nn.PReLU(6));
        using var network = new EmbeddingNetwork(trunk, 6, 5);
        RandomiseBatchNorms(network, randn(8, 3, 16, 16));
        using (no_grad())
        {
            foreach (var prelu in network.modules().OfType<PReLU>())
            {
                prelu.weight.uniform_(0.05, 0.5);
            }
        }
        foreach (bool fold in new[] { false, true })
        {
            var model = EmbeddingNetworkExport.ToOnnx(network, Metadata(BackboneKind.SmallCnn, 3, 16, dimension: 5), fold);
            Assert.Equal(fold ? 1 : 4, model.Graph.Node.Count(n => n.OpType == "BatchNormalization"));
            using var session = new InferenceSession(model.ToByteArray());
            var images = randn(7, 3, 16, 16);
            float difference = TorchEmbeddings(network, images).Zip(Run(session, images), (e, a) => Math.Abs(e - a)).Max();
            output.WriteLine($"fold={fold}: max |ORT - TorchSharp| = {difference:e2}");
            Assert.True(difference <= Tolerance, $"Expected ONNX Runtime within {Tolerance} of TorchSharp; the largest difference is {difference}.");
        }
    }

    internal static EmbeddingModelMetadata Metadata(BackboneKind backbone, int channels, int size, int dimension = 16) =>
        new(backbone.ToString(), dimension, channels, size, size,
            channels == 1 ? [0.5f] : [0.5f, 0.5f, 0.5f], channels == 1 ? [0.35f] : [0.5f, 0.5f, 0.5f], "CosFace s=24 m=0.2 + LEAP Full", false, 3);

    /// <summary>
    /// Running statistics of one training-mode batch (momentum 1), then random scales and shifts. The embedding's
    /// BatchNorm1d gets random statistics of unit order instead: the spread of 8 random images' features is so small that
    /// their statistics would blow the embeddings up to hundreds, where float32 rounding alone exceeds the tolerance. For
    /// the same reason a bottleneck's last BN (bn3) gets small scales, as trained ResNets' have: with unit scales the
    /// random ResNet-50's 16 residual additions grow the features to hundreds.
    /// </summary>
    private static void RandomiseBatchNorms(nn.Module<Tensor, Tensor> network, Tensor images)
    {
        var norms = network.named_modules().Where(m => m.module is BatchNorm).ToList();
        foreach (var (_, norm) in norms)
        {
            ((BatchNorm)norm).momentum = 1.0;
        }
        network.train();
        using (no_grad())
        {
            network.forward(images).Dispose();
            foreach (var (name, module) in norms)
            {
                var norm = (BatchNorm)module;
                norm.momentum = 0.1;
                norm.weight!.uniform_(name.EndsWith(".bn3", StringComparison.Ordinal) ? 0.05 : 0.5, name.EndsWith(".bn3", StringComparison.Ordinal) ? 0.2 : 1.5);
                norm.bias!.uniform_(-0.2, 0.2);
                if (norm is BatchNorm1d)
                {
                    // Perturb the batch's own statistics, so the embeddings stay of unit order whatever the backbone's scale.
                    norm.running_mean!.add_(randn_like(norm.running_mean!).mul_(norm.running_var!.sqrt()).mul_(0.1));
                    norm.running_var!.mul_(rand_like(norm.running_var!).add_(0.5));
                }
            }
        }
    }

    private static float[] TorchEmbeddings(nn.Module<Tensor, Tensor> network, Tensor images)
    {
        network.eval();
        using var guard = no_grad();
        return network.forward(images).contiguous().data<float>().ToArray();
    }

    private static float[] Run(InferenceSession session, Tensor images)
    {
        float[] pixels = images.contiguous().data<float>().ToArray();
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, images.shape);
        using var run = new RunOptions();
        using var outputs = session.Run(run, [EmbeddingNetworkExport.InputName], [input], [EmbeddingNetworkExport.OutputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
