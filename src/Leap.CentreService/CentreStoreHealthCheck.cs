using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Leap.CentreService;

/// <summary>
/// Liveness of the centre service for the gRPC health service (k8s probes), as the coordinator's: healthy whenever the
/// store answers, also before the first Initialise (the workers initialise it only once the service is ready). Without
/// any registered check the gRPC health service answers UNKNOWN, which a Kubernetes gRPC probe counts as a failure.
/// </summary>
public sealed class CentreStoreHealthCheck(CentreStore store) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var layout = store.Layout;
        return Task.FromResult(HealthCheckResult.Healthy(layout is null
            ? "no layout yet (awaiting Initialise)"
            : string.Create(CultureInfo.InvariantCulture, $"{layout.ClassCount} classes, dimension {layout.Dimension}")));
    }
}
