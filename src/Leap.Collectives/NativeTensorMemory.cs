using static TorchSharp.torch;

namespace Leap.Collectives;

/// <summary>
/// The bytes of a contiguous CPU tensor, addressed by byte offset. The tensor must stay alive while this is used;
/// spans are handed out per chunk so tensors over 2 GB work too.
/// </summary>
internal readonly struct NativeTensorMemory
{
    private readonly IntPtr _start;

    public NativeTensorMemory(Tensor tensor)
    {
        TensorArguments.RequireSupported(tensor);
        ElementSize = (int)tensor.ElementSize;
        _start = TensorAddress.Of(tensor);
        LengthBytes = tensor.numel() * ElementSize;
        DType = tensor.dtype;
    }

    public ScalarType DType { get; }

    public int ElementSize { get; }

    public long LengthBytes { get; }

    public unsafe Span<byte> Slice(long offsetBytes, int lengthBytes)
    {
        if (offsetBytes < 0 || lengthBytes < 0 || offsetBytes + lengthBytes > LengthBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(offsetBytes), $"[{offsetBytes}, +{lengthBytes}) is outside a {LengthBytes}-byte tensor.");
        }

        return lengthBytes == 0 ? Span<byte>.Empty : new Span<byte>((byte*)_start + offsetBytes, lengthBytes);
    }

    /// <summary>The same bytes as <see cref="Slice"/>, as <see cref="Memory{T}"/> for asynchronous I/O (no copy).</summary>
    public Memory<byte> Memory(long offsetBytes, int lengthBytes)
    {
        _ = Slice(offsetBytes, lengthBytes); // bounds check
        return lengthBytes == 0 ? Memory<byte>.Empty : new NativeByteRange(_start + (nint)offsetBytes, lengthBytes).Memory;
    }

    /// <summary>Copies <paramref name="lengthBytes"/> bytes between tensors (or within one), in pieces a span can hold.</summary>
    public static void Copy(NativeTensorMemory source, long sourceOffset, NativeTensorMemory destination, long destinationOffset, long lengthBytes)
    {
        const int Piece = 1 << 30;
        for (long done = 0; done < lengthBytes; done += Piece)
        {
            var n = (int)Math.Min(Piece, lengthBytes - done);
            source.Slice(sourceOffset + done, n).CopyTo(destination.Slice(destinationOffset + done, n));
        }
    }
}
