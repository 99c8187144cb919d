using System.Buffers;

namespace Leap.Collectives;

/// <summary>
/// A <see cref="Memory{T}"/> over native bytes (a tensor's storage), so socket and stream APIs can read or write
/// tensor memory without a managed copy. The owner of the native memory keeps it alive while the memory is in use.
/// </summary>
internal sealed unsafe class NativeByteRange(IntPtr start, int length) : MemoryManager<byte>
{
    public override Span<byte> GetSpan() => new((void*)start, length);

    public override MemoryHandle Pin(int elementIndex = 0) => new((byte*)start + elementIndex);

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
    }
}
