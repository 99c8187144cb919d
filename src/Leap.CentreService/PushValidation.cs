using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Leap.CentreService;

/// <summary>A push that passed validation: features as float64 [Rows, D] row-major and labels in [0, C).</summary>
/// <summary>
/// A push that passed validation: its features copied once into a native tensor [Rows, D] of the dtype they arrived in
/// (float32 or float64; the tracker normalises in float64) and its labels in [0, C). Owns the tensor.
/// </summary>
internal sealed class ValidatedPush(int rows, Tensor features, long[] labels) : IDisposable
{
    public int Rows { get; } = rows;
    public Tensor Features { get; } = features;
    public long[] Labels { get; } = labels;

    public void Dispose() => Features.Dispose();
}

/// <summary>Checks a push against the layout; every refusal is a <see cref="CentreStoreError.InvalidArgument"/> naming the problem.</summary>
internal static class PushValidation
{
    public const int MaxRequestIdLength = 128;

    public static ValidatedPush Validate(CentrePush push, CentreLayout layout, int maxRows)
    {
        ArgumentNullException.ThrowIfNull(push);
        if (string.IsNullOrEmpty(push.RequestId) || push.RequestId.Length > MaxRequestIdLength)
        {
            throw Invalid($"request_id must be 1 to {MaxRequestIdLength} characters (was {push.RequestId?.Length ?? 0}).");
        }
        var f = push.Features ?? throw Invalid("features are missing.");
        var l = push.Labels ?? throw Invalid("labels are missing.");
        if (f.Shape.Length != 2)
        {
            throw Invalid($"features must have shape [N, D] (got rank {f.Shape.Length}).");
        }
        long rows = f.Shape[0];
        if (f.Shape[1] != layout.Dimension)
        {
            throw Invalid($"feature dimension {f.Shape[1]} does not match the service's dimension D = {layout.Dimension}.");
        }
        if (rows < 1 || rows > maxRows)
        {
            throw Invalid($"features must have between 1 and {maxRows} rows (got {rows}).");
        }
        int elementSize = f.DType switch
        {
            "float32" => 4,
            "float64" => 8,
            _ => throw Invalid($"features dtype must be float32 or float64 (got '{f.DType}')."),
        };
        long count = rows * layout.Dimension;
        if (f.Data.Length != count * elementSize)
        {
            throw Invalid($"features hold {f.Data.Length} bytes but shape [{rows}, {layout.Dimension}] of {f.DType} needs {count * elementSize}.");
        }
        if (l.Shape.Length != 1)
        {
            throw Invalid($"labels must have shape [N] (got rank {l.Shape.Length}).");
        }
        if (l.Shape[0] != rows)
        {
            throw Invalid($"{l.Shape[0]} labels for {rows} feature rows: the lengths must match.");
        }
        if (l.DType != "int64")
        {
            throw Invalid($"labels dtype must be int64 (got '{l.DType}').");
        }
        if (l.Data.Length != rows * sizeof(long))
        {
            throw Invalid($"labels hold {l.Data.Length} bytes but {rows} int64 labels need {rows * sizeof(long)}.");
        }
        long[] labels = MemoryMarshal.Cast<byte, long>(l.Data.Span).ToArray();
        for (int i = 0; i < labels.Length; i++)
        {
            if ((ulong)labels[i] >= (ulong)layout.ClassCount)
            {
                throw Invalid($"unknown class id {labels[i]} at row {i}: ids must lie in [0, {layout.ClassCount}).");
            }
        }
        if (elementSize == 4)
        {
            CheckFinite(MemoryMarshal.Cast<byte, float>(f.Data.Span), layout.Dimension);
        }
        else
        {
            var values = MemoryMarshal.Cast<byte, double>(f.Data.Span);
            CheckFinite(values, layout.Dimension);
            CheckNormsFinite(values, layout.Dimension);
        }
        // One copy of the received bytes into native memory; the partitions read their rows from it natively.
        var features = empty([rows, layout.Dimension], elementSize == 4 ? ScalarType.Float32 : ScalarType.Float64);
        f.Data.Span.CopyTo(features.bytes);
        return new ValidatedPush((int)rows, features, labels);
    }

    private static void CheckFinite<T>(ReadOnlySpan<T> values, int dimension)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                throw Invalid($"features contain a non-finite value ({values[i]}) at row {i / dimension}, column {i % dimension}.");
            }
        }
    }

    /// <summary>Each row is L2-normalised in float64: a row whose squared norm overflows would silently become a zero vector.</summary>
    private static void CheckNormsFinite(ReadOnlySpan<double> features, int dimension)
    {
        for (int row = 0; row * dimension < features.Length; row++)
        {
            double squares = 0;
            for (int j = row * dimension; j < (row + 1) * dimension; j++)
            {
                squares += features[j] * features[j];
            }
            if (!double.IsFinite(squares))
            {
                throw Invalid($"features row {row} has an L2 norm too large to normalise in float64 (its squares overflow); features must be finite with a finite norm.");
            }
        }
    }

    private static CentreStoreException Invalid(string message) => new(CentreStoreError.InvalidArgument, message);
}
