using Leap.Coordinator.Tests.Infrastructure;

namespace Leap.Coordinator.Tests.Unit;

public sealed class JobStateHeartbeatTests
{
    private static readonly TimeSpan Deadline = TestOptions.HeartbeatDeadline;

    [Fact]
    public async Task Heartbeat_RankSilentPastTheDeadline_EndsTheGenerationNamingTheRank()
    {
        using var context = new JobStateTestContext();
        await context.RegisterAllAsync();
        context.Time.Advance(Deadline - TimeSpan.FromSeconds(1));
        context.Job.Heartbeat(1, 0, step: 10);
        context.Job.Heartbeat(1, 2, step: 10);

        context.Time.Advance(TimeSpan.FromSeconds(1));

        var status = context.Job.GetStatus();
        Assert.Equal((1L, JobPhase.Failed, "rank 1 missed its heartbeat deadline"), (status.Generation, status.Phase, status.Reason));
        var failure = Assert.Throws<CoordinationException>(() => context.Job.Heartbeat(1, 0, step: 11));
        Assert.Equal(CoordinationError.FailedPrecondition, failure.Error);
        Assert.Equal("generation 1 ended: rank 1 missed its heartbeat deadline", failure.Message);
    }

    [Fact]
    public async Task Heartbeat_EveryRankRenewsInTime_GenerationKeepsRunning()
    {
        using var context = new JobStateTestContext();
        await context.RegisterAllAsync();

        for (int round = 1; round <= 5; round++)
        {
            context.Time.Advance(Deadline - TimeSpan.FromSeconds(1));
            for (int rank = 0; rank < 3; rank++)
            {
                context.Job.Heartbeat(1, rank, step: round);
            }
        }

        var status = context.Job.GetStatus();
        Assert.Equal(JobPhase.Running, status.Phase);
        Assert.All(status.Ranks, r => Assert.Equal((5L, context.Time.GetUtcNow()), (r.Step, r.LastHeartbeat)));
    }

    [Fact]
    public async Task Heartbeat_ReturnsTheNewLeaseExpiry()
    {
        using var context = new JobStateTestContext();
        await context.RegisterAllAsync();
        context.Time.Advance(TimeSpan.FromSeconds(3));

        var expires = context.Job.Heartbeat(1, 0, step: 1);

        Assert.Equal(context.Time.GetUtcNow() + Deadline, expires);
    }

    [Fact]
    public async Task RegisterAsync_AfterTheGenerationEnded_FormsGenerationTwoWithFreshLeases()
    {
        using var context = new JobStateTestContext();
        await context.RegisterAllAsync();
        context.Time.Advance(Deadline);
        Assert.Equal(JobPhase.Failed, context.Job.GetStatus().Phase);

        var second = await context.RegisterAllAsync();

        Assert.All(second, a => Assert.Equal(2L, a.Generation));
        Assert.Equal(JobPhase.Running, context.Job.GetStatus().Phase);
        var oldGeneration = Assert.Throws<CoordinationException>(() => context.Job.GetPeers(1));
        Assert.StartsWith("generation 1 ended: rank ", oldGeneration.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Heartbeat_UnknownGenerationOrRank_IsRefused()
    {
        using var context = new JobStateTestContext();
        await context.RegisterAllAsync();

        var unknown = Assert.Throws<CoordinationException>(() => context.Job.Heartbeat(7, 0, 0));
        var badRank = Assert.Throws<CoordinationException>(() => context.Job.Heartbeat(1, 3, 0));

        Assert.Equal("generation 7 is unknown (the current generation is 1)", unknown.Message);
        Assert.Equal((CoordinationError.InvalidArgument, "rank must be between 0 and 2 (was 3)"), (badRank.Error, badRank.Message));
    }
}
