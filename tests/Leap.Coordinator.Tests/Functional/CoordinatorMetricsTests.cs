using Leap.Coordinator.Tests.Infrastructure;

namespace Leap.Coordinator.Tests.Functional;

/// <summary>Prometheus /metrics of a real coordinator host (Kestrel on 127.0.0.1), scraped over HTTP/1.1.</summary>
public sealed class CoordinatorMetricsTests : IDisposable
{
    private readonly TemporaryDirectory _state = new();

    public void Dispose() => _state.Dispose();

    [Fact]
    public async Task Scrape_BeforeAnyWorker_ShowsNoWorkersTheFirstGenerationAndTheWorldSize()
    {
        await using var host = await CoordinatorTestHost.StartAsync(TestOptions.Settings(_state.Path, worldSize: 2), serveMetrics: true);

        string scrape = await host.ScrapeAsync();

        Assert.Equal(0, PrometheusText.Value(scrape, "leap_coordinator_registered_workers"));
        Assert.Equal(1, PrometheusText.Value(scrape, "leap_coordinator_generation")); // the first generation waits for its workers
        Assert.Equal(2, PrometheusText.Value(scrape, "leap_coordinator_world_size"));
        Assert.Equal(-1, PrometheusText.Value(scrape, "leap_coordinator_committed_checkpoint_step"));
        Assert.Equal(0, PrometheusText.Value(scrape, "leap_coordinator_heartbeats_total"));
    }

    [Fact]
    public async Task Scrape_AfterTwoWorkersRegisterAndHeartbeatThreeTimes_CountsThem()
    {
        await using var host = await CoordinatorTestHost.StartAsync(TestOptions.Settings(_state.Path, worldSize: 2), serveMetrics: true);
        var first = host.CreateClient().RegisterAsync(TestOptions.JobId, 2, "127.0.0.1:30000");
        await host.Job.RegistrationsRecorded(1).Within("worker 0's registration to reach the coordinator");
        string waiting = await host.ScrapeAsync();
        var second = await host.CreateClient().RegisterAsync(TestOptions.JobId, 2, "127.0.0.1:30001").Within("worker 1's rank");
        await first.Within("worker 0's rank");
        var client = host.CreateClient();
        for (int i = 0; i < 3; i++)
        {
            await client.HeartbeatAsync(second.Generation, second.Rank, step: i).Within("a heartbeat");
        }

        string scrape = await host.ScrapeAsync();

        Assert.Equal(1, PrometheusText.Value(waiting, "leap_coordinator_registered_workers"));
        Assert.Equal(2, PrometheusText.Value(scrape, "leap_coordinator_registered_workers"));
        Assert.Equal(1, PrometheusText.Value(scrape, "leap_coordinator_generation"));
        Assert.Equal(2, PrometheusText.Value(scrape, "leap_coordinator_registrations_total"));
        Assert.Equal(3, PrometheusText.Value(scrape, "leap_coordinator_heartbeats_total"));
    }
}
