using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Leap.Collectives;

/// <summary>
/// The address of element 0 of a contiguous CPU tensor (TorchSharp exposes it only as a span), for code that reads or
/// writes a tensor's memory in place: the collectives' transports and the managed pooling kernel. The caller keeps the
/// tensor alive while the address is used.
/// </summary>
public static class TensorAddress
{
    /// <returns>The address, or zero for an empty tensor.</returns>
    public static unsafe IntPtr Of(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.numel() == 0)
        {
            return IntPtr.Zero;
        }

        using var flat = tensor.view(-1);
        using var first = flat.narrow(0, 0, 1);
        return (IntPtr)Unsafe.AsPointer(ref MemoryMarshal.GetReference(first.bytes));
    }
}
