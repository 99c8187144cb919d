using Leap.Training.Export;
using Microsoft.ML.OnnxRuntime;

namespace Leap.Inference;

/// <summary>An embedding model exported by <c>leap export</c>, run by ONNX Runtime on the CPU with one intra-op thread per core.</summary>
public sealed class OnnxEmbeddingModel : IEmbeddingModel
{
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();

    private OnnxEmbeddingModel(InferenceSession session, EmbeddingModelMetadata metadata, string path)
    {
        _session = session;
        Metadata = metadata;
        Description = path;
    }

    public EmbeddingModelMetadata Metadata { get; }
    public string Description { get; }

    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not an ONNX model, or not one leap export wrote (its metadata is missing); names the file.</exception>
    public static OnnxEmbeddingModel Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Model '{path}' does not exist.", path);
        }
        using var options = new SessionOptions { IntraOpNumThreads = Environment.ProcessorCount, InterOpNumThreads = 1 };
        InferenceSession session;
        try
        {
            session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"'{path}' is not an ONNX model ONNX Runtime can run: {e.Message}", e);
        }
        try
        {
            var metadata = EmbeddingModelMetadata.FromProperties(session.ModelMetadata.CustomMetadataMap, path);
            if (!session.InputNames.Contains(EmbeddingNetworkExport.InputName) || !session.OutputNames.Contains(EmbeddingNetworkExport.OutputName))
            {
                throw new InvalidDataException($"'{path}' has inputs [{string.Join(", ", session.InputNames)}] and outputs [{string.Join(", ", session.OutputNames)}]; expected '{EmbeddingNetworkExport.InputName}' and '{EmbeddingNetworkExport.OutputName}'.");
            }
            return new OnnxEmbeddingModel(session, metadata, path);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public void Embed(float[] pixels, int count, int height, int width, Span<float> embeddings)
    {
        var memory = pixels.AsMemory(0, count * Metadata.Channels * height * width);
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, memory, [count, Metadata.Channels, height, width]);
        using var outputs = _session.Run(_run, [EmbeddingNetworkExport.InputName], [input], [EmbeddingNetworkExport.OutputName]);
        outputs[0].GetTensorDataAsSpan<float>().CopyTo(embeddings);
    }

    public void Dispose()
    {
        _run.Dispose();
        _session.Dispose();
    }
}
