using Leap.Training.Modeling;
using static TorchSharp.torch;

namespace Leap.Training.Tests;

public class BackboneTests
{
    [Theory]
    [InlineData(BackboneKind.SmallCnn, 1, 28, 28, 64)]
    [InlineData(BackboneKind.ResNet18, 3, 64, 64, 512)]
    [InlineData(BackboneKind.ResNet18, 1, 64, 64, 128)]
    [InlineData(BackboneKind.ResNet50, 3, 64, 64, 512)]
    [InlineData(BackboneKind.IResNet18, 3, 112, 112, 512)]
    [InlineData(BackboneKind.IResNet18, 1, 128, 64, 64)]
    [InlineData(BackboneKind.IResNet34, 3, 128, 64, 128)]
    [InlineData(BackboneKind.IResNet50, 3, 128, 64, 256)]
    [InlineData(BackboneKind.MobileFaceNet, 3, 112, 112, 512)]
    [InlineData(BackboneKind.MobileFaceNet, 1, 128, 64, 128)]
    [InlineData(BackboneKind.MobileFaceNet, 3, 100, 90, 32)]
    [InlineData(BackboneKind.MobileFaceNet, 3, 16, 16, 32)]
    public void Forward_EachBackbone_GivesEmbeddingsOfTheConfiguredDimensionAndGradients(BackboneKind kind, int channels, int height, int width, int dimension)
    {
        using var scope = NewDisposeScope();
        using var network = EmbeddingNetwork.Create(kind, new ImageShape(channels, height, width), dimension);
        var input = randn(2, channels, height, width);

        var embeddings = network.forward(input);
        embeddings.pow(2).sum().backward();

        Assert.Equal(new long[] { 2, dimension }, embeddings.shape);
        Assert.All(network.parameters(), p => Assert.NotNull(p.grad));
        Assert.True(embeddings.isfinite().all().item<bool>());
    }
}
