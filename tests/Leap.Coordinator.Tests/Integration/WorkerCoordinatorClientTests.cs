using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Leap.Coordinator.Client;
using Leap.Coordinator.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Leap.Coordinator.Tests.Integration;

/// <summary>The client against the in-memory test server, with faults injected on the server side.</summary>
public sealed class WorkerCoordinatorClientTests : IDisposable
{
    private readonly TemporaryDirectory _state = new();
    private readonly FaultInjectionInterceptor _faults = new();

    public void Dispose() => _state.Dispose();

    [Fact]
    public async Task HeartbeatAsync_CoordinatorUnavailableTwice_SucceedsOnTheThirdAttempt()
    {
        await using var host = await StartAsync();
        var workers = await RegisterAllAsync(host);
        _faults.Fail("Heartbeat", count: 2, afterHandling: false);

        var reply = await workers[0].HeartbeatAsync(1, 0, step: 3).Within("the retried heartbeat");

        Assert.Equal(3, _faults.Calls("Heartbeat"));
        Assert.Equal(host.Time.GetUtcNow() + TestOptions.HeartbeatDeadline, reply.LeaseExpiresAt.ToDateTimeOffset());
    }

    [Fact]
    public async Task HeartbeatAsync_UnavailableOnEveryAttempt_FailsAfterMaxAttempts()
    {
        await using var host = await StartAsync();
        var workers = await RegisterAllAsync(host);
        _faults.Fail("Heartbeat", count: 10, afterHandling: false);

        var failure = await Assert.ThrowsAsync<RpcException>(() => workers[0].HeartbeatAsync(1, 0, step: 3).Within("the failure"));

        Assert.Equal(StatusCode.Unavailable, failure.StatusCode);
        Assert.Equal(3, _faults.Calls("Heartbeat"));
    }

    [Fact]
    public async Task ReportCheckpointAsync_ReplyLostAfterTheCommit_RetryIsIdempotentAndReportsTheCommit()
    {
        await using var host = await StartAsync();
        var workers = await RegisterAllAsync(host);
        await workers[0].ReportCheckpointAsync(1, 0, 40, "/r0").Within("rank 0's report");
        await workers[1].ReportCheckpointAsync(1, 1, 40, "/r1").Within("rank 1's report");
        _faults.Fail("ReportCheckpoint", count: 1, afterHandling: true);

        bool committed = await workers[2].ReportCheckpointAsync(1, 2, 40, "/r2").Within("rank 2's retried report");

        Assert.True(committed);
        Assert.Equal(4, _faults.Calls("ReportCheckpoint"));
        Assert.Equal(40L, host.Job.LatestCommittedCheckpoint?.Step);
    }

    [Fact]
    public async Task RegisterAsync_ReplyLostAfterTheGenerationFormed_RetryGetsTheSameRankWithoutEndingTheGeneration()
    {
        await using var host = await StartAsync();
        WorkerCoordinatorClient[] workers = [host.CreateClient(), host.CreateClient(), host.CreateClient()];
        var first = workers[0].RegisterAsync(TestOptions.JobId, 3, "10.1.0.0:29500", requestedRank: 0);
        await host.Job.RegistrationsRecorded(1).Within("worker 0's registration");
        var second = workers[1].RegisterAsync(TestOptions.JobId, 3, "10.1.0.1:29500", requestedRank: 1);
        await host.Job.RegistrationsRecorded(2).Within("worker 1's registration");
        _faults.Fail("Register", count: 1, afterHandling: true);

        var last = await workers[2].RegisterAsync(TestOptions.JobId, 3, "10.1.0.2:29500", requestedRank: 2).Within("worker 2's retried registration");
        await Task.WhenAll(first, second).Within("the other workers' ranks");

        Assert.Equal((2, 1L), (last.Rank, last.Generation));
        Assert.Equal(4, _faults.Calls("Register"));
        var status = host.Job.GetStatus();
        Assert.Equal((JobPhase.Running, 1L), (status.Phase, status.Generation));
        Assert.Equal(["10.1.0.0:29500", "10.1.0.1:29500", "10.1.0.2:29500"], status.Ranks.Select(r => r.Address));
    }

    [Fact]
    public async Task CompleteAsync_ReplyLost_RetryIsIdempotent()
    {
        await using var host = await StartAsync();
        var workers = await RegisterAllAsync(host);
        _faults.Fail("Complete", count: 1, afterHandling: true);

        Assert.False(await workers[0].CompleteAsync(1, 0).Within("rank 0's completion"));
        Assert.False(await workers[1].CompleteAsync(1, 1).Within("rank 1's completion"));
        Assert.True(await workers[2].CompleteAsync(1, 2).Within("rank 2's completion"));

        Assert.Equal(4, _faults.Calls("Complete"));
        Assert.Equal(JobPhase.Completed, host.Job.GetStatus().Phase);
    }

    [Fact]
    public async Task HeartbeatAsync_GenerationEnded_IsNotRetried()
    {
        await using var host = await StartAsync();
        var workers = await RegisterAllAsync(host);
        host.Time.Advance(TestOptions.HeartbeatDeadline);

        var failure = await Assert.ThrowsAsync<RpcException>(() => workers[0].HeartbeatAsync(1, 0, 1).Within("the refusal"));

        Assert.Equal(StatusCode.FailedPrecondition, failure.StatusCode);
        Assert.Equal(1, _faults.Calls("Heartbeat"));
    }

    [Fact]
    public async Task RegisterAsync_InvalidArgument_IsNotRetriedAndNamesTheProblem()
    {
        await using var host = await StartAsync();
        var worker = host.CreateClient();

        var failure = await Assert.ThrowsAsync<RpcException>(() => worker.RegisterAsync("other", 3, "h:1").Within("the refusal"));

        Assert.Equal((StatusCode.InvalidArgument, "job id 'other' is not this coordinator's job 'test-job'"),
            (failure.StatusCode, failure.Status.Detail));
        Assert.Equal(1, _faults.Calls("Register"));
    }

    [Fact]
    public async Task Health_Check_ReportsServing()
    {
        await using var host = await StartAsync(Transport.Kestrel);
        using var channel = GrpcChannel.ForAddress(host.Address);

        var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest()).ResponseAsync.Within("the health check");

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    private Task<CoordinatorTestHost> StartAsync(Transport transport = Transport.InMemory) =>
        CoordinatorTestHost.StartAsync(TestOptions.Settings(_state.Path), transport, services =>
        {
            services.AddSingleton(_faults);
            services.AddGrpc(grpc => grpc.Interceptors.Add<FaultInjectionInterceptor>());
        });

    private static async Task<WorkerCoordinatorClient[]> RegisterAllAsync(CoordinatorTestHost host)
    {
        WorkerCoordinatorClient[] workers = [host.CreateClient(), host.CreateClient(), host.CreateClient()];
        var replies = new Task[3];
        for (int i = 0; i < 3; i++)
        {
            replies[i] = workers[i].RegisterAsync(TestOptions.JobId, 3, $"10.1.0.{i}:29500");
            await host.Job.RegistrationsRecorded(i + 1).Within($"worker {i}'s registration");
        }
        await Task.WhenAll(replies).Within("every worker's rank");
        return workers;
    }
}
