using Leap.Coordinator.Tests.Infrastructure;

namespace Leap.Coordinator.Tests.Unit;

public sealed class JobStateRegistrationTests
{
    [Fact]
    public async Task RegisterAsync_ThreeWorkers_WaitForTheLastThenGetRanksZeroToTwoOfGenerationOne()
    {
        using var context = new JobStateTestContext();
        var first = context.Job.RegisterAsync(TestOptions.Worker(0), CancellationToken.None);
        var second = context.Job.RegisterAsync(TestOptions.Worker(1), CancellationToken.None);
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);
        Assert.Equal(JobPhase.Waiting, context.Job.GetStatus().Phase);
        Assert.Equal(2, context.Job.GetStatus().RegisteredWorkers);

        var third = await context.Job.RegisterAsync(TestOptions.Worker(2), CancellationToken.None).Within("the third registration");
        var assignments = new[] { await first.Within("worker 0"), await second.Within("worker 1"), third };

        Assert.Equal([0, 1, 2], assignments.Select(a => a.Rank));
        Assert.All(assignments, a => Assert.Equal((1L, 3, TestOptions.Seed), (a.Generation, a.WorldSize, a.Seed)));
        Assert.Equal(["10.0.0.0:29500", "10.0.0.1:29500", "10.0.0.2:29500"], context.Job.GetPeers(1));
        Assert.Equal(JobPhase.Running, context.Job.GetStatus().Phase);
    }

    [Fact]
    public async Task RegisterAsync_RequestedRanks_AreHonouredAndOthersGetTheLowestFreeRank()
    {
        using var context = new JobStateTestContext();
        var a = context.Job.RegisterAsync(TestOptions.Worker(0, requestedRank: 2), CancellationToken.None);
        var b = context.Job.RegisterAsync(TestOptions.Worker(1), CancellationToken.None);
        var c = context.Job.RegisterAsync(TestOptions.Worker(2, requestedRank: 2), CancellationToken.None);
        var ranks = (await Task.WhenAll(a, b, c).Within("three registrations")).Select(r => r.Rank);

        Assert.Equal([2, 0, 1], ranks);
    }

    [Fact]
    public async Task RegisterAsync_SameInstanceAgainWhileRunning_ReturnsTheSameAssignment()
    {
        using var context = new JobStateTestContext();
        var assignments = await context.RegisterAllAsync();

        var retry = await context.Job.RegisterAsync(TestOptions.Worker(1), CancellationToken.None).Within("a retried registration");

        Assert.Equal(assignments[1], retry);
        Assert.Equal(JobPhase.Running, context.Job.GetStatus().Phase);
    }

    [Fact]
    public async Task RegisterAsync_CancelledWhileForming_WithdrawsTheRegistration()
    {
        using var context = new JobStateTestContext();
        using var cancellation = new CancellationTokenSource();
        var withdrawn = context.Job.RegisterAsync(TestOptions.Worker(0), cancellation.Token);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => withdrawn.Within("the cancelled registration"));
        Assert.Equal(0, context.Job.GetStatus().RegisteredWorkers);
    }

    [Fact]
    public async Task RegisterAsync_NewInstanceWhileRunning_EndsTheGenerationAndFormsTheNext()
    {
        using var context = new JobStateTestContext();
        await context.RegisterAllAsync();
        var restarted = TestOptions.Worker(1) with { InstanceId = "worker-1-restarted" };

        var pending = context.Job.RegisterAsync(restarted, CancellationToken.None);

        var failure = Assert.Throws<CoordinationException>(() => context.Job.Heartbeat(1, 0, 5));
        Assert.Equal("generation 1 ended: rank 1 re-registered after a restart", failure.Message);
        Assert.Equal((2L, JobPhase.Waiting, 1), (context.Job.GetStatus().Generation, context.Job.GetStatus().Phase,
            context.Job.GetStatus().RegisteredWorkers));
        Assert.False(pending.IsCompleted);
    }

    [Fact]
    public async Task RegisterAsync_NewWorkerAtANewAddressWhileRunning_QueuesForTheNextGenerationWithoutEndingThisOne()
    {
        using var context = new JobStateTestContext();
        await context.RegisterAllAsync();
        var replacement = new WorkerRegistration(TestOptions.JobId, 3, "10.0.9.9:29500", "replacement");

        var queued = context.Job.RegisterAsync(replacement, CancellationToken.None);
        context.Time.Advance(TestOptions.HeartbeatDeadline - TimeSpan.FromSeconds(1));
        context.Job.Heartbeat(1, 0, 1);
        context.Job.Heartbeat(1, 1, 1);
        Assert.Equal(JobPhase.Running, context.Job.GetStatus().Phase);
        context.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal((2L, JobPhase.Waiting, 1), (context.Job.GetStatus().Generation, context.Job.GetStatus().Phase,
            context.Job.GetStatus().RegisteredWorkers));
        var survivors = new[] { 0, 1 }.Select(i => context.Job.RegisterAsync(TestOptions.Worker(i), CancellationToken.None)).ToArray();

        var assignments = await Task.WhenAll(survivors.Prepend(queued)).Within("generation 2 to form");

        Assert.Equal([0, 1, 2], assignments.Select(a => a.Rank));
        Assert.All(assignments, a => Assert.Equal(2L, a.Generation));
    }

    [Fact]
    public async Task RegisterAsync_WrongJobWorldSizeAndAddress_IsRejectedNamingEveryProblem()
    {
        using var context = new JobStateTestContext();
        var bad = new WorkerRegistration("other-job", 4, "no-port", "w");

        var failure = await Assert.ThrowsAsync<CoordinationException>(() => context.Job.RegisterAsync(bad, CancellationToken.None));

        Assert.Equal(CoordinationError.InvalidArgument, failure.Error);
        Assert.Equal("job id 'other-job' is not this coordinator's job 'test-job'; expected world size 4 differs from the job's 3; "
            + "peer address must be host:port (was 'no-port')", failure.Message);
    }

    [Fact]
    public async Task GetEpochPlan_RunningGeneration_ReturnsSeedBatchAndRankSlice()
    {
        using var context = new JobStateTestContext();
        await context.RegisterAllAsync();

        var plan = context.Job.GetEpochPlan(1, epoch: 4, rank: 2);

        Assert.Equal(new EpochAssignment(TestOptions.Seed, 4, 1000, 24, 2, 3, 8, 41), plan);
    }

    [Fact]
    public void GetPeers_GenerationStillForming_FailsWithFailedPrecondition()
    {
        using var context = new JobStateTestContext();

        var failure = Assert.Throws<CoordinationException>(() => context.Job.GetPeers(1));

        Assert.Equal((CoordinationError.FailedPrecondition, "generation 1 is still forming"), (failure.Error, failure.Message));
    }
}
