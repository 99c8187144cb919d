using System.Runtime.InteropServices;
using Google.Protobuf;
using Leap.Contracts.V1;
using static TorchSharp.torch;

namespace Leap.CentreService.Client;

/// <summary>Packs features and labels into <see cref="TensorBytes"/> (raw little-endian, no per-element fields) and back.</summary>
public static class TensorBytesCodec
{
    public static TensorBytes Float32(ReadOnlySpan<float> values, params long[] shape) => Pack("float32", MemoryMarshal.AsBytes(values), shape);

    public static TensorBytes Float64(ReadOnlySpan<double> values, params long[] shape) => Pack("float64", MemoryMarshal.AsBytes(values), shape);

    public static TensorBytes Int64(ReadOnlySpan<long> values) => Pack("int64", MemoryMarshal.AsBytes(values), values.Length);

    /// <summary>A CPU copy of a float32, float64 or int64 tensor (other float types are sent as float32).</summary>
    public static TensorBytes FromTensor(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var scope = NewDisposeScope();
        var cpu = tensor.detach().cpu().contiguous();
        long[] shape = cpu.shape;
        return cpu.dtype switch
        {
            ScalarType.Float64 => Float64(cpu.data<double>().ToArray(), shape),
            ScalarType.Int64 or ScalarType.Int32 or ScalarType.Int16 or ScalarType.Int8 or ScalarType.Byte =>
                Pack("int64", MemoryMarshal.AsBytes(cpu.to(ScalarType.Int64).data<long>().ToArray().AsSpan()), shape),
            _ => Float32(cpu.to(ScalarType.Float32).data<float>().ToArray(), shape),
        };
    }

    /// <summary>The values of a float32 or float64 <see cref="TensorBytes"/> as float64.</summary>
    public static double[] ToDoubles(TensorBytes tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var bytes = tensor.Data.Span;
        return tensor.Dtype switch
        {
            "float64" => MemoryMarshal.Cast<byte, double>(bytes).ToArray(),
            "float32" => MemoryMarshal.Cast<byte, float>(bytes).ToArray().Select(f => (double)f).ToArray(),
            _ => throw new ArgumentException($"Expected float32 or float64, got '{tensor.Dtype}'.", nameof(tensor)),
        };
    }

    private static TensorBytes Pack(string dtype, ReadOnlySpan<byte> data, params long[] shape)
    {
        var tensor = new TensorBytes { Dtype = dtype, Data = ByteString.CopyFrom(data) };
        tensor.Shape.AddRange(shape);
        return tensor;
    }
}
