using System.Text.Json.Serialization;

namespace Leap.Benchmarks.DataLoader;

/// <summary>
/// Our loader and PyTorch's DataLoader on one data set and the same images, in alternating rounds (ours, PyTorch, ours,
/// PyTorch, ...) so that a change of machine load hits both alike; each side is summarised by its fastest round.
/// </summary>
/// <param name="SourceImages">Images in the packed set; both loaders sample from its training rows (all but the held-out ones).</param>
/// <param name="StoredSize">Width x height of the stored images.</param>
public sealed record DataLoaderComparison(
    [property: JsonPropertyName("dataset")] string Dataset,
    [property: JsonPropertyName("source_images")] int SourceImages,
    [property: JsonPropertyName("classes")] int Classes,
    [property: JsonPropertyName("stored_size")] string StoredSize,
    [property: JsonPropertyName("ours")] IReadOnlyList<LoaderTiming> Ours,
    [property: JsonPropertyName("pytorch")] IReadOnlyList<LoaderTiming> PyTorch,
    [property: JsonPropertyName("reference")] string Reference)
{
    public const double TargetRatio = 1.0;

    [JsonIgnore]
    public LoaderTiming BestOurs => Ours.MaxBy(t => t.ImagesPerSecond) ?? throw new InvalidOperationException($"{Dataset}: no round of ours.");

    [JsonIgnore]
    public LoaderTiming? BestPyTorch => PyTorch.MaxBy(t => t.ImagesPerSecond);

    /// <summary>Our fastest round's images/s over PyTorch's fastest round's, or null without the reference.</summary>
    [JsonIgnore]
    public double? Ratio => BestPyTorch is { ImagesPerSecond: > 0 } torch ? BestOurs.ImagesPerSecond / torch.ImagesPerSecond : null;

    /// <summary>Our least CPU seconds per image over the rounds (CPU time is steadier under load than wall time).</summary>
    [JsonIgnore]
    public double OursCpuSecondsPerImage => Ours.Min(t => t.CpuSecondsPerImage);

    /// <summary>PyTorch's least CPU seconds per image over the rounds, or null without the reference.</summary>
    [JsonIgnore]
    public double? PyTorchCpuSecondsPerImage => PyTorch.Count > 0 ? PyTorch.Min(t => t.CpuSecondsPerImage) : null;

    /// <summary>PyTorch's least CPU seconds per image over ours (>= 1: we spend no more CPU per image), or null.</summary>
    [JsonIgnore]
    public double? CpuRatio => PyTorchCpuSecondsPerImage is double torch && OursCpuSecondsPerImage > 0 ? torch / OursCpuSecondsPerImage : null;
}
