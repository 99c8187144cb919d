using Leap.Core.Margins;
using Leap.Core.Statistics;
using Leap.Training.Modeling;

namespace Leap.Benchmarks.Step;

/// <summary>What one training-step benchmark runs: model, batch, classifier size, image size, threads and step counts.</summary>
public sealed record StepBenchSettings(
    BackboneKind Backbone,
    int Batch,
    int Classes,
    int Dimension,
    int Image,
    int Threads,
    int WarmupSteps,
    int Steps)
{
    /// <summary>Images held in memory; batches are drawn from them (the PyTorch reference holds the same number).</summary>
    public const int DatasetImages = 256;

    public const int Channels = 3;

    /// <summary>Face-recognition settings: s = 64, m = 0.35 (CosFace) or 0.5 (ArcFace).</summary>
    public static double MarginValue(MarginKind margin) => margin == MarginKind.ArcFace ? 0.5 : 0.35;

    public static string MethodName(MarginKind margin, LeapVariant variant) => variant switch
    {
        LeapVariant.None => margin.ToString(),
        LeapVariant.Full => margin == MarginKind.ArcFace ? "LEAP-AF" : "LEAP-CF",
        _ => margin == MarginKind.ArcFace ? "LEAP-AV" : "LEAP-CV",
    };
}
