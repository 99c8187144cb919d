namespace Leap.Data;

/// <summary>
/// Reader for the MNIST / Fashion-MNIST IDX format (big-endian header: magic, then one 32-bit size per dimension,
/// then the unsigned-byte payload), raw or gzip-compressed. Any malformed, truncated or over-long file throws
/// <see cref="InvalidDataException"/> whose message names the file and the byte offset (in the decompressed
/// stream) where the problem was found.
/// </summary>
public static class IdxFile
{
    public const uint ImagesMagic = 0x00000803;
    public const uint LabelsMagic = 0x00000801;

    public static IdxImages ReadImages(string path)
    {
        using var reader = IdxStreamReader.Open(path);
        reader.ReadMagic(ImagesMagic, "unsigned-byte 3-D image data");
        int count = reader.ReadDimension("image count", minimum: 0);
        int rows = reader.ReadDimension("row count", minimum: 1);
        int cols = reader.ReadDimension("column count", minimum: 1);
        long total = (long)count * rows * cols;
        if (total > Array.MaxLength)
        {
            throw reader.Error($"{count} images of {rows}x{cols} exceed the largest supported array", 4);
        }

        reader.EnsureAvailable(total, "pixel data");
        var pixels = new byte[total];
        reader.ReadPayload(pixels, "pixel data");
        return new IdxImages(count, rows, cols, pixels);
    }

    public static IdxLabels ReadLabels(string path)
    {
        using var reader = IdxStreamReader.Open(path);
        reader.ReadMagic(LabelsMagic, "unsigned-byte 1-D label data");
        int count = reader.ReadDimension("label count", minimum: 0);
        reader.EnsureAvailable(count, "label data");
        var labels = new byte[count];
        reader.ReadPayload(labels, "label data");
        return new IdxLabels(labels);
    }
}
