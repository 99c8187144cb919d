using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Leap.Onnx;

public sealed partial class TensorProto
{
    /// <summary>Element count: the product of <see cref="Dims"/> (1 for a scalar).</summary>
    public long ElementCount => Dims.Aggregate(1L, (count, dim) => count * dim);

    /// <summary>The values of a FLOAT tensor, row-major, from raw_data (little-endian) or float_data.</summary>
    /// <exception cref="InvalidDataException">Not FLOAT, stored in an external file, or fewer or more values than its dims.</exception>
    public float[] ToFloats()
    {
        if (DataType != (int)Types.DataType.Float)
        {
            throw new InvalidDataException($"ONNX tensor '{Name}' holds {(Types.DataType)DataType}, not FLOAT.");
        }
        if (DataLocation == Types.DataLocation.External)
        {
            throw new InvalidDataException($"ONNX tensor '{Name}' is stored in an external file, which is not supported.");
        }
        long count = ElementCount;
        if (RawData.IsEmpty)
        {
            return FloatData.Count == count
                ? [.. FloatData]
                : throw new InvalidDataException($"ONNX tensor '{Name}' has {FloatData.Count} values for dims [{string.Join(", ", Dims)}].");
        }
        if (RawData.Length != count * sizeof(float))
        {
            throw new InvalidDataException($"ONNX tensor '{Name}' has {RawData.Length} bytes for dims [{string.Join(", ", Dims)}] of FLOAT.");
        }
        var bytes = RawData.Span;
        var values = new float[count];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, float>(bytes).CopyTo(values);
        }
        else
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
            }
        }
        return values;
    }
}
