using Leap.Coordinator.Tests.Infrastructure;

namespace Leap.Coordinator.Tests.Unit;

/// <summary>Strings the coordinator keeps (ids, barrier names, peer addresses, checkpoint paths) are bounded.</summary>
public sealed class JobStateRequestLimitTests
{
    [Theory]
    [InlineData("worker_instance_id", "worker_instance_id must be at most 256 characters (was 257)")]
    [InlineData("peer_address", "peer_address must be at most 263 characters (was 264)")]
    [InlineData("job_id", "job_id must be at most 256 characters (was 257)")]
    public async Task RegisterAsync_FieldTooLong_InvalidArgumentNamingFieldAndLimit(string field, string expected)
    {
        using var context = new JobStateTestContext();
        var worker = TestOptions.Worker(0);
        var registration = field switch
        {
            "worker_instance_id" => worker with { InstanceId = new string('i', 257) },
            "peer_address" => worker with { PeerAddress = new string('h', 258) + ":29500" },
            _ => worker with { JobId = new string('j', 257) },
        };

        var error = await Assert.ThrowsAsync<CoordinationException>(() => context.Job.RegisterAsync(registration, CancellationToken.None).Within("the refusal"));

        Assert.Equal(CoordinationError.InvalidArgument, error.Error);
        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public async Task ArriveAtBarrierAsync_NameTooLong_InvalidArgumentAndNoBarrierKept()
    {
        using var context = new JobStateTestContext();
        await context.RegisterAllAsync();

        var error = await Assert.ThrowsAsync<CoordinationException>(() =>
            context.Job.ArriveAtBarrierAsync(1, new string('b', CoordinatorRequestLimits.MaxIdLength + 1), 0, CancellationToken.None).Within("the refusal"));

        Assert.Equal(CoordinationError.InvalidArgument, error.Error);
        Assert.Equal("barrier name must be at most 256 characters (was 257)", error.Message);
    }

    [Fact]
    public async Task ReportCheckpoint_PathTooLong_InvalidArgumentNamingLimit()
    {
        using var context = new JobStateTestContext();
        await context.RegisterAllAsync();

        var error = Assert.Throws<CoordinationException>(() =>
            context.Job.ReportCheckpoint(1, 0, 100, "/" + new string('p', CoordinatorRequestLimits.MaxPathLength)));

        Assert.Equal(CoordinationError.InvalidArgument, error.Error);
        Assert.Equal("checkpoint path must be at most 4096 characters (was 4097)", error.Message);
        Assert.Null(context.Job.LatestCommittedCheckpoint);
    }
}
