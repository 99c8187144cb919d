using Leap.Training.Export;

namespace Leap.Inference;

/// <summary>A trained embedding network that maps preprocessed images to embeddings (an exported ONNX model, or a run's checkpoint).</summary>
public interface IEmbeddingModel : IDisposable
{
    /// <summary>The input the model expects and what it is.</summary>
    EmbeddingModelMetadata Metadata { get; }

    /// <summary>Where the model came from, for messages ("model.onnx", "runs/x checkpoint step-000000600").</summary>
    string Description { get; }

    /// <summary>Embeds <paramref name="count"/> images, [count, C, H, W] row-major in <paramref name="pixels"/>, into <paramref name="embeddings"/> [count, D].</summary>
    void Embed(float[] pixels, int count, int height, int width, Span<float> embeddings);
}
