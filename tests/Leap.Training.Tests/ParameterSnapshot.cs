using Leap.Training.Data;
using Leap.Training.Engine;
using static TorchSharp.torch;

namespace Leap.Training.Tests;

/// <summary>What the non-finite-loss tests need: a data set whose every loss is NaN, and a copy of a session's parameters to compare against.</summary>
internal static class ParameterSnapshot
{
    /// <summary>Copies of the network's and the classifier's parameters, by name.</summary>
    public static Dictionary<string, Tensor> Of(TrainingSession session) =>
        session.Network.named_parameters().Concat(session.Classifier.named_parameters().Select(p => ("classifier." + p.name, p.parameter)))
            .ToDictionary(p => p.Item1, p => p.Item2.detach().clone());

    /// <summary><paramref name="clean"/> with a NaN pixel in every image, so every batch's loss is NaN.</summary>
    public static ImageSet WithNaNPixel(ImageSet clean, int classes)
    {
        var images = clean.Images.clone();
        images[TensorIndex.Colon, 0, 0, 0] = tensor(float.NaN);
        return new ImageSet(images, Enumerable.Range(0, clean.Count).Select(i => clean.Labels[i]).ToArray(),
            Enumerable.Range(0, clean.Count).Select(i => (long)i).ToArray(), classes);
    }
}
