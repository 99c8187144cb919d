using Leap.Training.Modeling;
using static TorchSharp.torch;

namespace Leap.Training.Data;

/// <summary>
/// Images [N, C, H, W] (float32, normalised to zero mean / unit std with the dataset's statistics) with their
/// contiguous class ids [N] and each sample's index in the source dataset (the key of its alpha draws).
/// </summary>
public sealed class ImageSet : IImageCollection, IDisposable
{
    public ImageSet(Tensor images, long[] labels, long[] sourceIndices, int classCount)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(sourceIndices);
        if (images.shape[0] != labels.Length || labels.Length != sourceIndices.Length)
        {
            throw new ArgumentException($"{images.shape[0]} images, {labels.Length} labels and {sourceIndices.Length} indices do not match.");
        }
        Images = images;
        Labels = labels;
        SourceIndices = sourceIndices;
        ClassCount = classCount;
    }

    public Tensor Images { get; }
    public IReadOnlyList<long> Labels { get; }
    public IReadOnlyList<long> SourceIndices { get; }
    public int ClassCount { get; }
    public int Count => Labels.Count;
    public int Channels => (int)Images.shape[1];
    public ImageShape Shape => new(Channels, (int)Images.shape[2], (int)Images.shape[3]);

    public int[] SamplesPerClass()
    {
        var counts = new int[ClassCount];
        foreach (long l in Labels)
        {
            counts[l]++;
        }
        return counts;
    }

    /// <summary>Gathers a batch: images [B, C, H, W], labels [B], source indices [B] (all on CPU).</summary>
    public (Tensor Images, Tensor Labels, Tensor SourceIndices) Batch(ReadOnlySpan<long> rows)
    {
        long[] r = rows.ToArray();
        using var index = tensor(r, ScalarType.Int64);
        return (
            Images.index_select(0, index),
            tensor(r.Select(i => Labels[(int)i]).ToArray(), ScalarType.Int64),
            tensor(r.Select(i => SourceIndices[(int)i]).ToArray(), ScalarType.Int64));
    }

    public Tensor Slice(int start, int count) => Images.narrow(0, start, count);

    public void Dispose() => Images.Dispose();
}
