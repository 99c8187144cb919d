using TorchSharp;
using static TorchSharp.torch;

namespace Leap.Collectives;

/// <summary>Argument checks shared by every implementation, and the call signature used to detect mismatched calls.</summary>
internal static class TensorArguments
{
    public static void RequireSupported(Tensor tensor, string name = "tensor")
    {
        ArgumentNullException.ThrowIfNull(tensor, name);
        if (tensor.dtype is not (ScalarType.Float32 or ScalarType.Float64 or ScalarType.Int64))
        {
            throw new ArgumentException($"Collectives support float32, float64 and int64 tensors, not {tensor.dtype}.", name);
        }

        if (tensor.device_type != DeviceType.CPU)
        {
            throw new ArgumentException($"Collectives need a CPU tensor, not one on {tensor.device}; move it to the CPU first.", name);
        }

        if (!tensor.is_contiguous())
        {
            throw new ArgumentException("Collectives need a contiguous tensor; call contiguous() first.", name);
        }
    }

    public static void RequireRank(int rank, int worldSize, string name)
    {
        if (rank < 0 || rank >= worldSize)
        {
            throw new ArgumentOutOfRangeException(name, rank, $"Must be a rank in [0, {worldSize}).");
        }
    }

    /// <summary>Dim 0 must split into one equal block per rank.</summary>
    public static void RequireDim0DivisibleBy(Tensor tensor, int worldSize)
    {
        if (tensor.dim() == 0 || tensor.shape[0] % worldSize != 0)
        {
            throw new ArgumentException(
                $"Reduce-scatter needs dim 0 divisible by the world size {worldSize}; got shape {Describe(tensor)}.", nameof(tensor));
        }
    }

    public static string DTypeName(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.Float64 => "float64",
        ScalarType.Int64 => "int64",
        _ => dtype.ToString(),
    };

    /// <summary>E.g. "float32[4,3]".</summary>
    public static string Describe(Tensor tensor) => $"{DTypeName(tensor.dtype)}[{string.Join(",", tensor.shape)}]";

    /// <summary>E.g. "AllReduce(float32[1000], Sum)"; every rank must produce the same string for the same collective.</summary>
    public static string Signature(string operation, Tensor? tensor, string? argument = null)
    {
        var parts = new List<string>(2);
        if (tensor is not null)
        {
            parts.Add(Describe(tensor));
        }

        if (argument is not null)
        {
            parts.Add(argument);
        }

        return $"{operation}({string.Join(", ", parts)})";
    }
}
