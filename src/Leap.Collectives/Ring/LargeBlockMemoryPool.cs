using System.Buffers;
using System.Collections.Concurrent;

namespace Leap.Collectives.Ring;

/// <summary>
/// A memory pool of large pinned blocks for the ring's Kestrel server. Kestrel's default pool hands out 4 KiB blocks
/// and its socket reads one block per receive call, so a 1 MiB ring frame cost about 500 receive system calls; with
/// blocks of <see cref="BlockBytes"/> one call can take up to a whole block. Blocks are reused (about
/// <paramref name="retainedBlocks"/> kept), so steady streaming allocates no blocks (only a small lease object per rent).
/// </summary>
internal sealed class LargeBlockMemoryPool(int blockBytes, int retainedBlocks) : MemoryPool<byte>
{
    private readonly ConcurrentStack<byte[]> _free = new();
    private volatile bool _disposed;

    public int BlockBytes { get; } = blockBytes > 0 ? blockBytes : throw new ArgumentOutOfRangeException(nameof(blockBytes));

    public override int MaxBufferSize => BlockBytes;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(minBufferSize, -1); // -1: the pool's default size
        var block = _free.TryPop(out var reused) ? reused : GC.AllocateUninitializedArray<byte>(BlockBytes, pinned: true);
        return new Lease(this, block);
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        _free.Clear();
    }

    private void Return(byte[] block)
    {
        if (!_disposed && _free.Count < retainedBlocks)
        {
            _free.Push(block);
        }
    }

    private sealed class Lease(LargeBlockMemoryPool pool, byte[] block) : IMemoryOwner<byte>
    {
        private byte[]? _block = block;

        public Memory<byte> Memory => _block ?? throw new ObjectDisposedException(nameof(Lease));

        public void Dispose()
        {
            var returned = Interlocked.Exchange(ref _block, null);
            if (returned is not null)
            {
                pool.Return(returned);
            }
        }
    }
}
