using Prometheus;

namespace Leap.Coordinator;

/// <summary>
/// The coordinator's Prometheus series. Gauges (registered workers, generation, world size, committed checkpoint step)
/// are read from the job state at each scrape; counters (registrations, heartbeats) are counted by
/// <see cref="CoordinatorService"/>. Defined on the <see cref="CollectorRegistry"/> the host registered.
/// </summary>
public sealed class CoordinatorMetrics
{
    public CoordinatorMetrics(IJobState job, CollectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(registry);
        var factory = Metrics.WithCustomRegistry(registry);
        RegisteredWorkers = factory.CreateGauge("leap_coordinator_registered_workers", "Workers registered in the current generation.");
        Generation = factory.CreateGauge("leap_coordinator_generation", "Current generation (a new one starts when the ring is re-formed).");
        WorldSize = factory.CreateGauge("leap_coordinator_world_size", "Workers the job expects.");
        CommittedStep = factory.CreateGauge("leap_coordinator_committed_checkpoint_step", "Step of the latest checkpoint every rank reported (-1: none).");
        Registrations = factory.CreateCounter("leap_coordinator_registrations_total", "Register calls answered with a rank.");
        Heartbeats = factory.CreateCounter("leap_coordinator_heartbeats_total", "Heartbeats accepted.");
        registry.AddBeforeCollectCallback(() =>
        {
            var status = job.GetStatus();
            RegisteredWorkers.Set(status.RegisteredWorkers);
            Generation.Set(status.Generation);
            WorldSize.Set(status.WorldSize);
            CommittedStep.Set(status.LatestCommitted?.Step ?? -1);
        });
    }

    public Gauge RegisteredWorkers { get; }
    public Gauge Generation { get; }
    public Gauge WorldSize { get; }
    public Gauge CommittedStep { get; }
    public Counter Registrations { get; }
    public Counter Heartbeats { get; }
}
