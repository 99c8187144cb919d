namespace Leap.Data;

/// <summary>An IDX1 unsigned-byte label file (magic 0x00000801).</summary>
public sealed class IdxLabels
{
    private readonly byte[] _labels;

    public IdxLabels(byte[] labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        _labels = labels;
    }

    public int Count => _labels.Length;

    public byte this[int index] => _labels[index];

    public ReadOnlySpan<byte> Values => _labels;

    /// <summary>The labels widened to int, the form <see cref="LongTailSplitBuilder"/> takes.</summary>
    public int[] ToInt32Array() => Array.ConvertAll(_labels, b => (int)b);

    /// <summary>Reads a raw or gzip-compressed IDX1 label file; see <see cref="IdxFile.ReadLabels"/>.</summary>
    public static IdxLabels Load(string path) => IdxFile.ReadLabels(path);
}
