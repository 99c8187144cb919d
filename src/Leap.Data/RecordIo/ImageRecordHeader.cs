using System.Buffers.Binary;

namespace Leap.Data.RecordIo;

/// <summary>
/// MXNet's IRHeader at the start of every image record: uint32 flag, float32 label, uint64 id, uint64 id2
/// (24 bytes, little-endian). When flag &gt; 0 the scalar label is unused and flag float32 labels follow the header.
/// </summary>
public sealed class ImageRecordHeader
{
    public const int FixedSize = 24;

    private readonly float[] _labelArray;

    /// <summary>A header with one scalar label (flag 0), the form InsightFace uses for image records.</summary>
    public ImageRecordHeader(float label, ulong id, ulong id2 = 0)
    {
        ScalarLabel = label;
        Id = id;
        Id2 = id2;
        _labelArray = [];
    }

    /// <summary>A header with a label array (flag = labels.Count &gt; 0); the scalar label field is written as 0.</summary>
    public ImageRecordHeader(IReadOnlyList<float> labels, ulong id, ulong id2 = 0)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count == 0)
        {
            throw new ArgumentException("A label array needs at least one label; use the scalar constructor.", nameof(labels));
        }

        _labelArray = labels.ToArray();
        Id = id;
        Id2 = id2;
    }

    /// <summary>The flag field: how many float labels follow the fixed header.</summary>
    public uint Flag => (uint)_labelArray.Length;

    /// <summary>The label field of the fixed header (meaningful only when <see cref="Flag"/> is 0).</summary>
    public float ScalarLabel { get; }

    public ulong Id { get; }
    public ulong Id2 { get; }

    /// <summary>The labels as MXNet's unpack gives them: the array when flag &gt; 0, else the scalar alone.</summary>
    public IReadOnlyList<float> Labels => Flag > 0 ? _labelArray : [ScalarLabel];

    /// <summary>Bytes this header occupies in a record: the fixed part plus 4 per array label.</summary>
    public int EncodedSize => FixedSize + (4 * _labelArray.Length);

    /// <summary>The first label as a class id; throws if it is not a non-negative integer.</summary>
    public int ClassLabel()
    {
        float label = Labels[0];
        if (!(label >= 0) || label != MathF.Floor(label) || label > (1 << 24))
        {
            throw new InvalidDataException($"Label {label} of record id {Id} is not a class id (a non-negative integer).");
        }

        return (int)label;
    }

    internal void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Flag);
        BinaryPrimitives.WriteSingleLittleEndian(destination[4..], Flag > 0 ? 0f : ScalarLabel);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], Id);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], Id2);
        for (int i = 0; i < _labelArray.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(destination[(FixedSize + (4 * i))..], _labelArray[i]);
        }
    }

    /// <summary>Parses a header from the start of a record payload; null with a reason if the payload cannot hold it.</summary>
    internal static ImageRecordHeader? TryParse(ReadOnlySpan<byte> payload, out string? problem)
    {
        problem = null;
        if (payload.Length < FixedSize)
        {
            problem = $"payload of {payload.Length} bytes is shorter than the {FixedSize}-byte image record header";
            return null;
        }

        uint flag = BinaryPrimitives.ReadUInt32LittleEndian(payload);
        float label = BinaryPrimitives.ReadSingleLittleEndian(payload[4..]);
        ulong id = BinaryPrimitives.ReadUInt64LittleEndian(payload[8..]);
        ulong id2 = BinaryPrimitives.ReadUInt64LittleEndian(payload[16..]);
        if (flag == 0)
        {
            return new ImageRecordHeader(label, id, id2);
        }

        if (flag > (uint)(payload.Length - FixedSize) / 4)
        {
            problem = $"header flag {flag} announces {flag} labels but the payload has only {payload.Length} bytes";
            return null;
        }

        var labels = new float[flag];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = BinaryPrimitives.ReadSingleLittleEndian(payload[(FixedSize + (4 * i))..]);
        }

        return new ImageRecordHeader(labels, id, id2);
    }
}
