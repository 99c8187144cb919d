using System.Buffers;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Leap.Training.Data;

/// <summary>
/// Decoded pixels in a buffer rented from the shared array pool, copied into a new tensor when handed over. A batch
/// buffer is megabytes (a large-object-heap array): allocating one per step made the training loop trigger a full
/// collection every few steps, and with it finalizers of TorchSharp temporaries racing native calls. Renting keeps the
/// steady state allocation-free.
/// </summary>
internal static class PooledPixels
{
    public static float[] Rent(long count) => ArrayPool<float>.Shared.Rent(checked((int)count));

    /// <summary>A tensor of <paramref name="shape"/> holding the first elements of <paramref name="pixels"/>, which goes back to the pool.</summary>
    public static Tensor ToTensor(float[] pixels, long[] shape)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        var result = empty(shape, ScalarType.Float32);
        // One block copy into the tensor's storage (TensorAccessor.CopyFrom goes element by element: 5x slower here).
        new ReadOnlySpan<float>(pixels, 0, checked((int)count)).CopyTo(MemoryMarshal.Cast<byte, float>(result.bytes));
        ArrayPool<float>.Shared.Return(pixels);
        return result;
    }
}
