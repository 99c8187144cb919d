using Leap.Data.Images;

namespace Leap.Data.Sources;

/// <summary>Encoded images already in memory (the JPEGs of an InsightFace .bin verification file), one class.</summary>
public sealed class EncodedImageSource : IImageSource
{
    private readonly IReadOnlyList<byte[]> _images;
    private readonly ImageDecoder _decoder;
    private readonly int[] _labels;

    public EncodedImageSource(IReadOnlyList<byte[]> images, ImageDecoder decoder, string name)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(decoder);
        _images = images;
        _decoder = decoder;
        _labels = new int[images.Count];
        Name = name;
        Description = $"{name}: {images.Count} encoded images";
    }

    public string Name { get; }
    public string Description { get; }
    public int Count => _images.Count;
    public int ClassCount => 1;
    public IReadOnlyList<int> Labels => _labels;

    public string Locate(int index) => $"{Name}#{index}";

    public ImageBuffer Load(int index) => _decoder.Decode(_images[index], Locate(index));

    public void Dispose()
    {
    }
}
