using Leap.Runs;
using Leap.Runs.Configuration;

namespace Leap.Inference;

/// <summary>Opens the model of <c>leap embed</c> / <c>leap verify</c>: <c>--model FILE.onnx</c> or <c>--run DIR [--checkpoint]</c>, exactly one.</summary>
public static class EmbeddingModels
{
    /// <exception cref="ConfigurationException">Neither or both given, or a bad --checkpoint.</exception>
    public static IEmbeddingModel Open(string? modelPath, string? runDirectory, string? checkpoint, string? configPath)
    {
        if ((modelPath is null) == (runDirectory is null))
        {
            throw new ConfigurationException("Give the model as --model FILE.onnx (written by leap export) or as --run DIR (a run directory), not both.");
        }
        if (modelPath is not null)
        {
            return OnnxEmbeddingModel.Open(modelPath);
        }
        var choice = CheckpointChoice.TryParse(checkpoint)
            ?? throw new ConfigurationException($"--checkpoint must be 'latest' or a step number, got '{checkpoint}'.");
        return TorchEmbeddingModel.Open(runDirectory!, choice, configPath);
    }
}
