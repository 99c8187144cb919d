using Leap.Coordinator.Tests.Infrastructure;

namespace Leap.Coordinator.Tests.Unit;

public sealed class JobStateCompletionTests
{
    [Fact]
    public async Task Complete_EveryRank_CompletesTheJobAndIsIdempotent()
    {
        using var context = new JobStateTestContext();
        await context.RegisterAllAsync();

        Assert.False(context.Job.Complete(1, 0));
        Assert.False(context.Job.Complete(1, 0));
        Assert.False(context.Job.Complete(1, 1));
        Assert.True(context.Job.Complete(1, 2));
        Assert.True(context.Job.Complete(1, 2));

        var status = context.Job.GetStatus();
        Assert.Equal(JobPhase.Completed, status.Phase);
        Assert.All(status.Ranks, r => Assert.True(r.Completed));
    }

    [Fact]
    public async Task Complete_FinishedRankStopsHeartbeating_GenerationKeepsRunning()
    {
        using var context = new JobStateTestContext();
        await context.RegisterAllAsync();
        context.Job.Complete(1, 0);

        context.Time.Advance(TestOptions.HeartbeatDeadline - TimeSpan.FromSeconds(1));
        context.Job.Heartbeat(1, 1, 50);
        context.Job.Heartbeat(1, 2, 50);
        context.Time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(JobPhase.Running, context.Job.GetStatus().Phase);
    }

    [Fact]
    public async Task RegisterAsync_AfterTheJobCompleted_IsRefused()
    {
        using var context = new JobStateTestContext(worldSize: 1);
        await context.RegisterAllAsync(worldSize: 1);
        context.Job.Complete(1, 0);

        var failure = await Assert.ThrowsAsync<CoordinationException>(() => context.Job.RegisterAsync(
            TestOptions.Worker(5, worldSize: 1), CancellationToken.None));

        Assert.Equal("job test-job completed in generation 1", failure.Message);
    }
}
