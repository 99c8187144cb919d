using Grpc.Core;
using Leap.Coordinator.Client;
using Leap.Coordinator.Tests.Infrastructure;
using Leap.Contracts.V1;
using Microsoft.Extensions.Options;

namespace Leap.Coordinator.Tests.Functional;

/// <summary>Kestrel on 127.0.0.1 (port 0), real HTTP/2 channels, the production wiring; time is a fake clock.</summary>
public sealed class CoordinatorFunctionalTests : IDisposable
{
    private readonly TemporaryDirectory _state = new();

    public void Dispose() => _state.Dispose();

    [Fact]
    public async Task Register_ThreeWorkers_GetRanksZeroToTwoOfOneGenerationAndOneAddressBook()
    {
        await using var host = await CoordinatorTestHost.StartAsync(TestOptions.Settings(_state.Path));
        var workers = Workers(host);

        var first = workers[0].RegisterAsync(TestOptions.JobId, 3, "127.0.0.1:30000");
        await host.Job.RegistrationsRecorded(1).Within("worker 0's registration to reach the coordinator");
        var second = workers[1].RegisterAsync(TestOptions.JobId, 3, "127.0.0.1:30001");
        await host.Job.RegistrationsRecorded(2).Within("worker 1's registration to reach the coordinator");
        Assert.False(first.IsCompleted || second.IsCompleted);
        var third = await workers[2].RegisterAsync(TestOptions.JobId, 3, "127.0.0.1:30002").Within("the last registration");
        var replies = new[] { await first.Within("worker 0's rank"), await second.Within("worker 1's rank"), third };

        Assert.Equal([0, 1, 2], replies.Select(r => r.Rank));
        Assert.All(replies, r => Assert.Equal((1L, 3, TestOptions.Seed), (r.Generation, r.WorldSize, r.Seed)));
        Assert.All(replies, r => Assert.Equal(TimeSpan.FromSeconds(5), r.HeartbeatInterval.ToTimeSpan()));
        var peers = await workers[1].GetPeersAsync(1).Within("the address book");
        Assert.Equal(["127.0.0.1:30000", "127.0.0.1:30001", "127.0.0.1:30002"], peers);
        var plan = await workers[2].GetEpochPlanAsync(1, epoch: 0, rank: 2).Within("the epoch plan");
        Assert.Equal((TestOptions.Seed, 1000L, 24, 8, 41L, 2, 3),
            (plan.Seed, plan.SampleCount, plan.GlobalBatch, plan.LocalBatch, plan.StepsPerEpoch, plan.Rank, plan.WorldSize));
        var status = await workers[0].GetStatusAsync().Within("the status");
        Assert.Equal((Contracts.V1.JobPhase.Running, 1L, 3), (status.Phase, status.Generation, status.Ranks.Count));
    }

    [Fact]
    public async Task Heartbeat_RankMissesItsDeadline_GenerationEndsAndReRegistrationStartsGenerationTwo()
    {
        await using var host = await CoordinatorTestHost.StartAsync(TestOptions.Settings(_state.Path));
        var workers = Workers(host);
        await RegisterAllAsync(host, workers);
        host.Time.Advance(TestOptions.HeartbeatDeadline - TimeSpan.FromSeconds(1));
        await workers[0].HeartbeatAsync(1, 0, step: 12).Within("rank 0's heartbeat");
        await workers[1].HeartbeatAsync(1, 1, step: 12).Within("rank 1's heartbeat");

        host.Time.Advance(TimeSpan.FromSeconds(1));

        var refused = await Assert.ThrowsAsync<RpcException>(() => workers[0].HeartbeatAsync(1, 0, step: 13).Within("the refusal"));
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Equal("generation 1 ended: rank 2 missed its heartbeat deadline", refused.Status.Detail);
        var failed = await workers[0].GetStatusAsync().Within("the status");
        Assert.Equal((Contracts.V1.JobPhase.Failed, "rank 2 missed its heartbeat deadline"), (failed.Phase, failed.Reason));
        Assert.Equal([12L, 12L, 0L], failed.Ranks.Select(r => r.Step));

        var replacement = Workers(host);
        var second = await RegisterAllAsync(host, replacement, registrationsBefore: 3);

        Assert.All(second, r => Assert.Equal(2L, r.Generation));
        Assert.Equal([0, 1, 2], second.Select(r => r.Rank));
    }

    [Fact]
    public async Task Barrier_ReleasesOnlyWhenEveryRankArrived()
    {
        await using var host = await CoordinatorTestHost.StartAsync(TestOptions.Settings(_state.Path));
        var workers = Workers(host);
        await RegisterAllAsync(host, workers);

        var rank0 = workers[0].BarrierAsync(1, "epoch-1", 0);
        var rank1 = workers[1].BarrierAsync(1, "epoch-1", 1);
        await host.Job.BarrierArrivalsRecorded("epoch-1", 2).Within("ranks 0 and 1 at the barrier");
        Assert.False(rank0.IsCompleted || rank1.IsCompleted);

        var rank2 = workers[2].BarrierAsync(1, "epoch-1", 2);

        await Task.WhenAll(rank0, rank1, rank2).Within("the barrier to release all three ranks");
    }

    [Fact]
    public async Task ReportCheckpoint_CountsOnlyWhenEveryRankReported()
    {
        await using var host = await CoordinatorTestHost.StartAsync(TestOptions.Settings(_state.Path));
        var workers = Workers(host);
        await RegisterAllAsync(host, workers);

        Assert.False(await workers[0].ReportCheckpointAsync(1, 0, 100, "/ckpt/100/rank0").Within("rank 0's report"));
        Assert.False(await workers[2].ReportCheckpointAsync(1, 2, 100, "/ckpt/100/rank2").Within("rank 2's report"));
        Assert.Null(await workers[0].GetLatestCommittedCheckpointAsync().Within("no committed checkpoint yet"));
        Assert.True(await workers[1].ReportCheckpointAsync(1, 1, 100, "/ckpt/100/rank1").Within("rank 1's report"));

        var committed = await workers[0].GetLatestCommittedCheckpointAsync().Within("the committed checkpoint");
        Assert.NotNull(committed);
        Assert.Equal((100L, 1L, 3), (committed.Step, committed.Generation, committed.WorldSize));
        Assert.Equal(["/ckpt/100/rank0", "/ckpt/100/rank1", "/ckpt/100/rank2"], committed.Paths);
    }

    [Fact]
    public async Task LatestCommittedCheckpoint_CoordinatorRestartsOnTheSameStateDirectory_IsStillKnown()
    {
        await using (var before = await CoordinatorTestHost.StartAsync(TestOptions.Settings(_state.Path)))
        {
            var workers = Workers(before);
            await RegisterAllAsync(before, workers);
            for (int rank = 0; rank < 3; rank++)
            {
                await workers[rank].ReportCheckpointAsync(1, rank, 500, $"/ckpt/500/rank{rank}").Within($"rank {rank}'s report");
            }
        }

        await using var after = await CoordinatorTestHost.StartAsync(TestOptions.Settings(_state.Path));
        var client = after.CreateClient();

        var committed = await client.GetLatestCommittedCheckpointAsync().Within("the checkpoint after the restart");
        Assert.NotNull(committed);
        Assert.Equal((500L, 1L), (committed.Step, committed.Generation));
        Assert.Equal(["/ckpt/500/rank0", "/ckpt/500/rank1", "/ckpt/500/rank2"], committed.Paths);
        var status = await client.GetStatusAsync().Within("the status after the restart");
        Assert.Equal((2L, Contracts.V1.JobPhase.Waiting, 500L), (status.Generation, status.Phase, status.LatestCommitted.Step));
    }

    [Fact]
    public async Task StartAsync_OtherWorldSizeThanTheCommittedCheckpoint_IsRefusedUnlessAllowedOnPurpose()
    {
        await using (var before = await CoordinatorTestHost.StartAsync(TestOptions.Settings(_state.Path)))
        {
            var workers = Workers(before);
            await RegisterAllAsync(before, workers);
            for (int rank = 0; rank < 3; rank++)
            {
                await workers[rank].ReportCheckpointAsync(1, rank, 500, $"/ckpt/500/rank{rank}").Within($"rank {rank}'s report");
            }
        }

        var resized = TestOptions.Settings(_state.Path, worldSize: 2);
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => CoordinatorTestHost.StartAsync(resized));
        Assert.Contains("Coordinator:WorldSize is 2, but job 'test-job' last committed step 500 with 3 workers", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Coordinator:AllowWorldSizeChange=true", refused.Message, StringComparison.Ordinal);

        resized["Coordinator:AllowWorldSizeChange"] = "true";
        await using var after = await CoordinatorTestHost.StartAsync(resized);
        var client = after.CreateClient();
        var committed = await client.GetLatestCommittedCheckpointAsync().Within("the checkpoint the resized job resumes");
        Assert.NotNull(committed);
        // The workers of the resized job read the old world's paths and size to re-shard.
        Assert.Equal((500L, 3), (committed.Step, committed.WorldSize));
        Assert.Equal(["/ckpt/500/rank0", "/ckpt/500/rank1", "/ckpt/500/rank2"], committed.Paths);
        var status = await client.GetStatusAsync().Within("the status of the resized job");
        Assert.Equal(2, status.WorldSize);
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_FailsNamingEveryKeyAndRange()
    {
        var settings = TestOptions.Settings(_state.Path);
        settings["Coordinator:WorldSize"] = "0";
        settings["Coordinator:HeartbeatDeadline"] = "02:00:00";

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => CoordinatorTestHost.StartAsync(settings));

        Assert.Contains("Coordinator:WorldSize must be between 1 and 4096 (was 0).", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Coordinator:HeartbeatDeadline must be between 00:00:01 and 01:00:00 (was 02:00:00).", failure.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_UnknownKey_FailsNamingTheKey()
    {
        var settings = TestOptions.Settings(_state.Path);
        settings["Coordinator:HeartbeatDeadlin"] = "00:00:10";

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => CoordinatorTestHost.StartAsync(settings));

        Assert.Contains("'HeartbeatDeadlin'", failure.Message, StringComparison.Ordinal);
    }

    private static WorkerCoordinatorClient[] Workers(CoordinatorTestHost host) =>
        [host.CreateClient(), host.CreateClient(), host.CreateClient()];

    /// <summary>Registers the workers in index order (each reaches the coordinator before the next is sent).</summary>
    private static async Task<RegisterReply[]> RegisterAllAsync(CoordinatorTestHost host, WorkerCoordinatorClient[] workers,
        int registrationsBefore = 0)
    {
        var replies = new Task<RegisterReply>[workers.Length];
        for (int i = 0; i < workers.Length; i++)
        {
            replies[i] = workers[i].RegisterAsync(TestOptions.JobId, workers.Length, $"127.0.0.1:{31000 + i}");
            await host.Job.RegistrationsRecorded(registrationsBefore + i + 1).Within($"worker {i}'s registration");
        }
        return await Task.WhenAll(replies).Within("every worker's rank");
    }
}
