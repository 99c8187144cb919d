using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace Leap.Collectives.Ring;

/// <summary>Gives Kestrel <see cref="LargeBlockMemoryPool"/>s (it asks once per transport and once per HTTP/2 layer).</summary>
internal sealed class LargeBlockMemoryPoolFactory(int blockBytes, int retainedBlocks) : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool(blockBytes, retainedBlocks);
}
