using static TorchSharp.torch;

namespace Leap.Training.Data;

/// <summary>Another collection's images flipped left to right, same order and labels (test-time flip).</summary>
public sealed class MirroredImages(IImageCollection images) : IImageCollection
{
    private readonly IImageCollection _images = images ?? throw new ArgumentNullException(nameof(images));

    public int Count => _images.Count;

    public IReadOnlyList<long> Labels => _images.Labels;

    public Tensor Slice(int start, int count)
    {
        using var original = _images.Slice(start, count);
        return original.flip(-1);
    }
}
