using Leap.Runs;
using Leap.Training.Export;
using static TorchSharp.torch;

namespace Leap.Inference;

/// <summary>A run's network from one of its checkpoints (<see cref="TrainedNetwork"/>), run by TorchSharp in evaluation mode with one thread per core.</summary>
public sealed class TorchEmbeddingModel(TrainedNetwork network) : IEmbeddingModel
{
    public EmbeddingModelMetadata Metadata => network.Metadata;
    public string Description => $"checkpoint {network.Checkpoint}";

    public static TorchEmbeddingModel Open(string runDirectory, CheckpointChoice checkpoint, string? configPath)
    {
        set_num_threads(Environment.ProcessorCount);
        return new TorchEmbeddingModel(TrainedNetwork.Open(runDirectory, checkpoint, configPath));
    }

    public void Embed(float[] pixels, int count, int height, int width, Span<float> embeddings)
    {
        using var scope = NewDisposeScope();
        using var guard = no_grad();
        var input = tensor(pixels.AsSpan(0, count * Metadata.Channels * height * width).ToArray(), [count, Metadata.Channels, height, width]);
        network.Network.forward(input).contiguous().data<float>().CopyTo(embeddings);
    }

    public void Dispose() => network.Dispose();
}
