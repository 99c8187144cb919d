using Leap.Data.Images;

namespace Leap.Data.Sources;

/// <summary>
/// An MNIST-layout IDX pair (images + labels) as a source of one-channel images. IDX files are gzip streams without an
/// index, so the raw bytes (one byte per pixel) stay in memory; decoding to floats happens per sample. A small-data
/// format: large sets belong in RecordIO or folders.
/// </summary>
public sealed class IdxImageSource : IImageSource
{
    private readonly IdxImages _images;
    private readonly int[] _labels;

    public IdxImageSource(IdxImages images, IdxLabels labels, string description)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.Count != labels.Count)
        {
            throw new InvalidDataException($"{description}: {images.Count} images but {labels.Count} labels.");
        }

        _images = images;
        _labels = labels.ToInt32Array();
        ClassCount = _labels.Length == 0 ? 0 : _labels.Max() + 1;
        Description = $"{description}: {images.Count} images of {images.Rows}x{images.Cols}, {ClassCount} classes";
    }

    /// <summary>The <c>{prefix}-images-idx3-ubyte[.gz]</c> / <c>{prefix}-labels-idx1-ubyte[.gz]</c> pair of a folder.</summary>
    public static IdxImageSource Open(string directory, string prefix)
    {
        var (images, labels) = Files(directory, prefix);
        return new IdxImageSource(IdxFile.ReadImages(images), IdxFile.ReadLabels(labels), images);
    }

    /// <exception cref="FileNotFoundException">No such pair; the message says which Data:Format other layouts need.</exception>
    public static (string Images, string Labels) Files(string directory, string prefix)
    {
        foreach (string suffix in new[] { ".gz", "" })
        {
            string images = Path.Combine(directory, $"{prefix}-images-idx3-ubyte{suffix}");
            string labels = Path.Combine(directory, $"{prefix}-labels-idx1-ubyte{suffix}");
            if (File.Exists(images) && File.Exists(labels))
            {
                return (images, labels);
            }
        }

        throw new FileNotFoundException(
            $"No {prefix}-images-idx3-ubyte[.gz] / {prefix}-labels-idx1-ubyte[.gz] pair in '{directory}' (Data:Format = Idx). {DataLayoutHint.For(directory)}");
    }

    public string Description { get; }
    public int Count => _labels.Length;
    public int ClassCount { get; }
    public IReadOnlyList<int> Labels => _labels;
    public int Height => _images.Rows;
    public int Width => _images.Cols;

    public string Locate(int index) => $"IDX image {index}";

    public ImageBuffer Load(int index)
    {
        ReadOnlySpan<byte> pixels = _images.Image(index);
        var data = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            data[i] = pixels[i] / 255f;
        }

        return new ImageBuffer(1, _images.Rows, _images.Cols, data);
    }

    public void Dispose()
    {
    }
}
