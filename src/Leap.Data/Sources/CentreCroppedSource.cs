using Leap.Data.Images;

namespace Leap.Data.Sources;

/// <summary>Another source's images with their central Height x Width region cut out (LFW's 112x112 face crop of a 128x128 image).</summary>
public sealed class CentreCroppedSource(IImageSource inner, int height, int width) : IImageSource
{
    public string Description => $"{inner.Description}, centre {width}x{height}";
    public int Count => inner.Count;
    public int ClassCount => inner.ClassCount;
    public IReadOnlyList<int> Labels => inner.Labels;

    public string Locate(int index) => inner.Locate(index);

    public ImageBuffer Load(int index)
    {
        ImageBuffer image = inner.Load(index);
        if (image.Height < height || image.Width < width)
        {
            throw new InvalidDataException($"'{Locate(index)}' is {image.Width}x{image.Height}, smaller than the {width}x{height} centre crop.");
        }

        return image.Crop((image.Height - height) / 2, (image.Width - width) / 2, height, width);
    }

    public void Dispose() => inner.Dispose();
}
