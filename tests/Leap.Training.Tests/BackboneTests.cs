using Leap.Training.Modeling;
using static TorchSharp.torch;

namespace Leap.Training.Tests;

public class BackboneTests
{
    [Theory]
    [InlineData(BackboneKind.SmallCnn, 1, 28, 64)]
    [InlineData(BackboneKind.ResNet18, 3, 64, 512)]
    [InlineData(BackboneKind.ResNet18, 1, 64, 128)]
    [InlineData(BackboneKind.ResNet50, 3, 64, 512)]
    public void Forward_EachBackbone_GivesEmbeddingsOfTheConfiguredDimensionAndGradients(BackboneKind kind, int channels, int size, int dimension)
    {
        using var scope = NewDisposeScope();
        using var network = EmbeddingNetwork.Create(kind, channels, dimension);
        var input = randn(2, channels, size, size);

        var embeddings = network.forward(input);
        embeddings.pow(2).sum().backward();

        Assert.Equal(new long[] { 2, dimension }, embeddings.shape);
        Assert.All(network.parameters(), p => Assert.NotNull(p.grad));
        Assert.True(embeddings.isfinite().all().item<bool>());
    }
}
