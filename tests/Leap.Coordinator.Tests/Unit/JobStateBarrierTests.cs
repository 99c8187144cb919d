using Leap.Coordinator.Tests.Infrastructure;

namespace Leap.Coordinator.Tests.Unit;

public sealed class JobStateBarrierTests
{
    [Fact]
    public async Task ArriveAtBarrierAsync_ReleasesOnlyWhenEveryRankArrived()
    {
        using var context = new JobStateTestContext();
        await context.RegisterAllAsync();

        var rank0 = context.Job.ArriveAtBarrierAsync(1, "epoch-0", 0, CancellationToken.None);
        var rank2 = context.Job.ArriveAtBarrierAsync(1, "epoch-0", 2, CancellationToken.None);
        var rank0Again = context.Job.ArriveAtBarrierAsync(1, "epoch-0", 0, CancellationToken.None);
        Assert.False(rank0.IsCompleted || rank2.IsCompleted || rank0Again.IsCompleted);

        var rank1 = await context.Job.ArriveAtBarrierAsync(1, "epoch-0", 1, CancellationToken.None).Within("the last arrival");

        int[] released = await Task.WhenAll(rank0, rank2, rank0Again).Within("the released barrier");
        Assert.Equal([3, 3, 3, 3], released.Append(rank1));
    }

    [Fact]
    public async Task ArriveAtBarrierAsync_BarriersWithDifferentNames_AreIndependent()
    {
        using var context = new JobStateTestContext();
        await context.RegisterAllAsync();

        var a = context.Job.ArriveAtBarrierAsync(1, "a", 0, CancellationToken.None);
        var b = Enumerable.Range(0, 3).Select(rank => context.Job.ArriveAtBarrierAsync(1, "b", rank, CancellationToken.None));
        await Task.WhenAll(b).Within("barrier b to release");

        Assert.False(a.IsCompleted);
    }

    [Fact]
    public async Task ArriveAtBarrierAsync_GenerationEndsWhileWaiting_FailsWithTheReason()
    {
        using var context = new JobStateTestContext();
        await context.RegisterAllAsync();
        var waiting = context.Job.ArriveAtBarrierAsync(1, "epoch-0", 0, CancellationToken.None);

        context.Time.Advance(TestOptions.HeartbeatDeadline);

        var failure = await Assert.ThrowsAsync<CoordinationException>(() => waiting.Within("the failed barrier"));
        Assert.StartsWith("generation 1 ended: rank ", failure.Message, StringComparison.Ordinal);
        Assert.EndsWith(" missed its heartbeat deadline", failure.Message, StringComparison.Ordinal);
    }
}
