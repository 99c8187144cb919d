using Leap.Collectives.Ring;

namespace Leap.Collectives.Tests;

public sealed class LargeBlockMemoryPoolTests
{
    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData(64 << 10)]
    public void Rent_AnySizeUpToTheBlock_GivesAWholeBlock(int minimum)
    {
        using var pool = new LargeBlockMemoryPool(64 << 10, retainedBlocks: 4);
        using var lease = pool.Rent(minimum);

        Assert.Equal(64 << 10, lease.Memory.Length);
        Assert.Equal(64 << 10, pool.MaxBufferSize);
    }

    [Fact]
    public void Rent_MoreThanABlockOrANegativeSize_IsRefused()
    {
        using var pool = new LargeBlockMemoryPool(64 << 10, retainedBlocks: 4);

        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent((64 << 10) + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(-2));
    }

    [Fact]
    public void Rent_AfterAReturn_ReusesTheBlock()
    {
        using var pool = new LargeBlockMemoryPool(4096, retainedBlocks: 4);
        var first = pool.Rent();
        first.Memory.Span[0] = 42;
        var array = first.Memory;
        first.Dispose();

        using var second = pool.Rent();

        Assert.True(second.Memory.Span == array.Span, "the returned block is handed out again");
        Assert.Equal(42, second.Memory.Span[0]);
    }

    [Fact]
    public void Dispose_Twice_ReturnsTheBlockOnce()
    {
        using var pool = new LargeBlockMemoryPool(4096, retainedBlocks: 4);
        var lease = pool.Rent();
        lease.Dispose();
        lease.Dispose();

        using var a = pool.Rent();
        using var b = pool.Rent();

        Assert.False(a.Memory.Span == b.Memory.Span, "two live leases never share a block");
        Assert.Throws<ObjectDisposedException>(() => lease.Memory);
    }

    [Fact]
    public void Return_BeyondTheRetainedCount_DropsTheBlock()
    {
        using var pool = new LargeBlockMemoryPool(4096, retainedBlocks: 1);
        var a = pool.Rent();
        var b = pool.Rent();
        var blockA = a.Memory;
        var blockB = b.Memory;
        a.Dispose();
        b.Dispose(); // the pool already keeps one block

        using var c = pool.Rent();
        using var d = pool.Rent();

        Assert.True(c.Memory.Span == blockA.Span);
        Assert.False(d.Memory.Span == blockA.Span || d.Memory.Span == blockB.Span, "the second returned block was not kept");
    }

    [Fact]
    public void Rent_AfterDispose_Throws()
    {
        var pool = new LargeBlockMemoryPool(4096, retainedBlocks: 1);
        pool.Dispose();

        Assert.Throws<ObjectDisposedException>(() => pool.Rent());
    }

    [Fact]
    public void Factory_CreatesPoolsOfItsBlockSize()
    {
        using var pool = new LargeBlockMemoryPoolFactory(128 << 10, 2).Create();

        Assert.Equal(128 << 10, pool.MaxBufferSize);
    }
}
