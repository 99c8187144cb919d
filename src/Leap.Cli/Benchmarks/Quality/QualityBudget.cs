using System.Globalization;
using Leap.Training.Modeling;

namespace Leap.Cli.Benchmarks.Quality;

/// <summary>
/// The compute every cell gets: the same for every method, so the comparison is at equal budget. The defaults are
/// sized for a shared 2-core CPU (see docs/results.md for the measured time per cell).
/// </summary>
/// <param name="Steps">Training steps per cell.</param>
/// <param name="BatchSize">Images per step.</param>
/// <param name="FaceSize">LFW: the 128x128 image is centre-cropped to 112x112 (the paper's face crop) and resized to FaceSize x FaceSize.</param>
/// <param name="ReIdHeight">CUHK03: the 64x128 (w x h) image is resized to ReIdWidth x ReIdHeight.</param>
/// <param name="Threads">Torch intra-op threads and image decoding threads.</param>
public sealed record QualityBudget(
    long Steps = 600,
    int BatchSize = 64,
    BackboneKind Backbone = BackboneKind.SmallCnn,
    int EmbeddingDimension = 128,
    int FaceSize = 40,
    int ReIdHeight = 64,
    int ReIdWidth = 32,
    int Threads = 2)
{
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Steps} steps x batch {BatchSize}, {Backbone}, D = {EmbeddingDimension}, faces {FaceSize}x{FaceSize} RGB, re-ID {ReIdWidth}x{ReIdHeight} RGB, {Threads} threads");
}
