using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Leap.Coordinator;

/// <summary>
/// Liveness of the coordinator for the gRPC health service (k8s probes): healthy whenever the job state answers, whatever
/// the job's phase — a failed generation is the workers' problem, not the coordinator's. The phase is in the description.
/// </summary>
public sealed class CoordinatorHealthCheck(IJobState job) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = job.GetStatus();
        return Task.FromResult(HealthCheckResult.Healthy(
            $"job {status.JobId}, generation {status.Generation}: {status.Phase.ToString().ToUpperInvariant()}"));
    }
}
