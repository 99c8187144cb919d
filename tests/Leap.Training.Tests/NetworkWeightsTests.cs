using Leap.Training.Modeling;
using static TorchSharp.torch;

namespace Leap.Training.Tests;

public sealed class NetworkWeightsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-weights-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void LoadWeights_CheckpointWithBatchNormCounters_LoadsAndGivesTheSameEmbeddings()
    {
        Directory.CreateDirectory(_root);
        string path = Path.Combine(_root, "network.bin");
        using var scope = NewDisposeScope();
        random.manual_seed(3);
        // Built directly, the network keeps its num_batches_tracked counters, as checkpoints written before they were dropped do.
        using var old = new EmbeddingNetwork(new SmallConvNet(1, batchNorm: true), SmallConvNet.FeatureDimension, 16);
        Assert.Contains(old.state_dict().Keys, k => k.EndsWith("num_batches_tracked", StringComparison.Ordinal));
        old.save(path);
        using var current = EmbeddingNetwork.Create(BackboneKind.SmallCnn, new ImageShape(1, 28, 28), 16);
        Assert.DoesNotContain(current.state_dict().Keys, k => k.EndsWith("num_batches_tracked", StringComparison.Ordinal));

        current.LoadWeights(path);

        old.eval();
        current.eval();
        var input = randn(3, 1, 28, 28);
        Assert.True(old.forward(input).equal(current.forward(input)).all().item<bool>());
    }

    [Fact]
    public void LoadWeights_FileOfAnotherBackbone_ThrowsNamingMissingWeights()
    {
        Directory.CreateDirectory(_root);
        string path = Path.Combine(_root, "network.bin");
        using (var small = EmbeddingNetwork.Create(BackboneKind.SmallCnn, new ImageShape(3, 28, 28), 16))
        {
            small.save(path);
        }

        using var resnet = EmbeddingNetwork.Create(BackboneKind.ResNet18, new ImageShape(3, 28, 28), 16);
        var error = Assert.Throws<InvalidDataException>(() => resnet.LoadWeights(path));
        Assert.Contains("lacks", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
