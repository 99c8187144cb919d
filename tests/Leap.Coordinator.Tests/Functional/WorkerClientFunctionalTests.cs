using Grpc.Core;
using Leap.Coordinator.Client;
using Leap.Coordinator.Tests.Infrastructure;

namespace Leap.Coordinator.Tests.Functional;

/// <summary>The worker-side loops of <see cref="WorkerCoordinatorClient"/> against a Kestrel host.</summary>
public sealed class WorkerClientFunctionalTests : IDisposable
{
    private readonly TemporaryDirectory _state = new();

    public void Dispose() => _state.Dispose();

    [Fact]
    public async Task RunHeartbeatsAsync_KeepsTheLeaseAlivePastSeveralDeadlinesAndStopsOnCancellation()
    {
        await using var host = await CoordinatorTestHost.StartAsync(TestOptions.Settings(_state.Path, worldSize: 1));
        var worker = host.CreateClient(time: host.Time);
        var reply = await worker.RegisterAsync(TestOptions.JobId, 1, "127.0.0.1:32000").Within("the registration");
        long step = 0;
        using var stop = new CancellationTokenSource();

        var loop = worker.RunHeartbeatsAsync(reply.Generation, reply.Rank, () => Interlocked.Increment(ref step),
            reply.HeartbeatInterval.ToTimeSpan(), stop.Token);
        for (int beat = 1; beat <= 20; beat++)
        {
            await host.Job.HeartbeatsAccepted(beat).Within($"heartbeat {beat}");
            host.Time.Advance(reply.HeartbeatInterval.ToTimeSpan());
        }
        await host.Job.HeartbeatsAccepted(21).Within("heartbeat 21");
        await stop.CancelAsync();
        await loop.Within("the heartbeat loop to stop");

        var status = host.Job.GetStatus();
        Assert.Equal(JobPhase.Running, status.Phase);
        Assert.Equal(21L, status.Ranks[0].Step);
        Assert.True(host.Time.GetUtcNow() - status.Ranks[0].LastHeartbeat < TestOptions.HeartbeatDeadline);
    }

    [Fact]
    public async Task RunHeartbeatsAsync_GenerationEnds_ThrowsFailedPreconditionWithTheReason()
    {
        await using var host = await CoordinatorTestHost.StartAsync(TestOptions.Settings(_state.Path, worldSize: 1));
        var worker = host.CreateClient(time: host.Time);
        var reply = await worker.RegisterAsync(TestOptions.JobId, 1, "127.0.0.1:32000").Within("the registration");
        var loop = worker.RunHeartbeatsAsync(reply.Generation, reply.Rank, () => 0, TimeSpan.FromSeconds(40), CancellationToken.None);
        await host.Job.HeartbeatsAccepted(1).Within("the first heartbeat");

        host.Time.Advance(TimeSpan.FromSeconds(40));

        var failure = await Assert.ThrowsAsync<RpcException>(() => loop.Within("the loop to fail"));
        Assert.Equal((StatusCode.FailedPrecondition, "generation 1 ended: rank 0 missed its heartbeat deadline"),
            (failure.StatusCode, failure.Status.Detail));
    }

    [Fact]
    public async Task RegisterAsync_PollDeadlinePassesBeforeTheOthersArrive_RetriesAndJoinsTheGeneration()
    {
        await using var host = await CoordinatorTestHost.StartAsync(TestOptions.Settings(_state.Path, worldSize: 2));
        var impatient = host.CreateClient(new CoordinatorClientOptions
        {
            MaxAttempts = 1000,
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
            RetryMaxDelay = TimeSpan.FromMilliseconds(5),
            RegistrationTimeout = TimeSpan.FromMilliseconds(200),
        });
        var first = impatient.RegisterAsync(TestOptions.JobId, 2, "127.0.0.1:32000");
        await host.Job.RegistrationsRecorded(3).Within("two timed-out polls and a third one");

        var second = await host.CreateClient().RegisterAsync(TestOptions.JobId, 2, "127.0.0.1:32001").Within("the second worker");

        var joined = await first.Within("the impatient worker's rank");
        Assert.Equal((1L, 1L), (joined.Generation, second.Generation));
        Assert.Equal([0, 1], new[] { joined.Rank, second.Rank }.Order());
    }
}
