using Leap.Training.Modeling;
using static TorchSharp.torch;

namespace Leap.Training.Tests;

public class FaceBackboneTests
{
    /// <summary>
    /// Expected counts printed by tests/reference/backbone_param_counts.py (the same architectures written in PyTorch
    /// from the published definitions); IResNet-50 at 112x112, D = 512 is ArcFace's familiar 43.6 M.
    /// </summary>
    [Theory]
    [InlineData(BackboneKind.IResNet18, 112, 112, 512, 24025600)]
    [InlineData(BackboneKind.IResNet18, 128, 64, 512, 19569152)]
    [InlineData(BackboneKind.IResNet34, 112, 112, 512, 34139328)]
    [InlineData(BackboneKind.IResNet34, 128, 64, 512, 29682880)]
    [InlineData(BackboneKind.IResNet50, 112, 112, 512, 43590848)]
    [InlineData(BackboneKind.IResNet50, 128, 64, 512, 39134400)]
    [InlineData(BackboneKind.IResNet50, 112, 112, 128, 33955904)]
    [InlineData(BackboneKind.MobileFaceNet, 112, 112, 512, 1200512)]
    [InlineData(BackboneKind.MobileFaceNet, 128, 64, 512, 1191808)]
    [InlineData(BackboneKind.MobileFaceNet, 112, 112, 128, 1003136)]
    public void Create_FaceBackbone_HasThePyTorchReferencesParameterCountAndNoBatchCounters(BackboneKind kind, int height, int width, int dimension, long expected)
    {
        using var network = EmbeddingNetwork.Create(kind, new ImageShape(3, height, width), dimension);

        Assert.Equal(expected, network.parameters().Sum(p => p.numel()));
        Assert.DoesNotContain(network.state_dict().Keys, k => k.EndsWith("num_batches_tracked", StringComparison.Ordinal));
    }

    [Fact]
    public void Create_IResNet_KeepsInsightFaceModuleNames()
    {
        using var network = EmbeddingNetwork.Create(BackboneKind.IResNet18, new ImageShape(3, 112, 112), 16);
        var keys = network.state_dict().Keys.ToArray();

        foreach (string name in new[] { "conv1.weight", "prelu.weight", "layer1.0.bn1.weight", "layer1.0.downsample.0.weight", "layer4.1.conv2.weight", "bn2.running_var", "fc.weight", "features.bias" })
        {
            Assert.Contains(keys, k => k.EndsWith("." + name, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(BackboneKind.IResNet50, 112, 15)]
    [InlineData(BackboneKind.IResNet18, 8, 8)]
    [InlineData(BackboneKind.MobileFaceNet, 12, 112)]
    public void Create_ImagesSmallerThan16Pixels_ThrowsArgumentExceptionNamingTheSize(BackboneKind kind, int height, int width)
    {
        var error = Assert.Throws<ArgumentException>(() => EmbeddingNetwork.Create(kind, new ImageShape(3, height, width), 64));

        Assert.Contains($"{height}x{width}", error.Message, StringComparison.Ordinal);
        Assert.Contains("16x16", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forward_IResNetInEvalMode_IsDeterministicAndBatchIndependent()
    {
        using var scope = NewDisposeScope();
        using var network = EmbeddingNetwork.Create(BackboneKind.IResNet18, new ImageShape(3, 32, 32), 16);
        network.eval();
        var input = randn(3, 3, 32, 32);

        var whole = network.forward(input);
        var first = network.forward(input.narrow(0, 0, 1));

        // Batches of 3 and 1 may take different convolution kernels: equal up to float rounding relative to the output's scale.
        float difference = (whole.narrow(0, 0, 1) - first).abs().max().item<float>();
        float scale = first.abs().max().item<float>();
        Assert.True(difference <= 1e-4f * Math.Max(1f, scale), $"max |batch of 3 - batch of 1| = {difference} at output scale {scale}");
    }
}
