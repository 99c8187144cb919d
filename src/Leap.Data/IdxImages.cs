namespace Leap.Data;

/// <summary>An IDX3 unsigned-byte image file (magic 0x00000803): <see cref="Count"/> images of Rows x Cols pixels.</summary>
public sealed class IdxImages
{
    private readonly byte[] _pixels;

    public IdxImages(int count, int rows, int cols, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cols);
        ArgumentNullException.ThrowIfNull(pixels);
        if ((long)count * rows * cols != pixels.LongLength)
        {
            throw new ArgumentException(
                $"{pixels.Length} pixels do not hold {count} images of {rows}x{cols}.", nameof(pixels));
        }

        Count = count;
        Rows = rows;
        Cols = cols;
        _pixels = pixels;
    }

    public int Count { get; }
    public int Rows { get; }
    public int Cols { get; }
    public int PixelsPerImage => Rows * Cols;

    /// <summary>All pixels, image after image, each image row-major.</summary>
    public ReadOnlySpan<byte> Pixels => _pixels;

    /// <summary>The Rows x Cols pixels of image <paramref name="index"/>, row-major.</summary>
    public ReadOnlySpan<byte> Image(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);
    }

    /// <summary>Reads a raw or gzip-compressed IDX3 image file; see <see cref="IdxFile.ReadImages"/>.</summary>
    public static IdxImages Load(string path) => IdxFile.ReadImages(path);
}
