using k8s.Models;
using Leap.Deployment.Tests.Infrastructure;

namespace Leap.Deployment.Tests;

/// <summary>
/// The cluster restarts what `leap launch --max-restarts` restarts locally: a worker that exits 3 (its generation ended)
/// or dies gets a replacement pod, only invalid configuration (exit 2) fails the Job, and a restarted coordinator
/// finds its state file (last generation, committed checkpoint) on a persistent volume.
/// </summary>
public sealed class FaultToleranceManifestTests
{
    private const int InvalidConfigurationExitCode = 2;
    private const int RestartableExitCode = 3;

    [KubectlTheory]
    [MemberData(nameof(Manifests.Kustomizations), MemberType = typeof(Manifests))]
    public void Workers_LostGeneration_AreReplacedAndOnlyInvalidConfigurationFailsTheJob(string kustomization)
    {
        var job = Manifests.Render(kustomization).Workers.Spec;

        var failJobCodes = job.PodFailurePolicy.Rules.Where(r => r.Action == "FailJob").SelectMany(r => r.OnExitCodes.Values).ToList();

        Assert.Equal("Never", job.Template.Spec.RestartPolicy);
        // One lost rank makes every rank restart: allow at least two such rounds.
        Assert.True(job.BackoffLimit >= 2 * job.Completions,
            $"backoffLimit {job.BackoffLimit} allows fewer than two rounds of {job.Completions} restarted ranks");
        Assert.Equal([InvalidConfigurationExitCode], failJobCodes);
        Assert.DoesNotContain(job.PodFailurePolicy.Rules, r => r.Action == "Ignore" && r.OnExitCodes?.Values.Contains(RestartableExitCode) == true);
    }

    [KubectlTheory]
    [MemberData(nameof(Manifests.Kustomizations), MemberType = typeof(Manifests))]
    public void Coordinator_StateDirectory_IsOnAPersistentVolumeAndOnePodAtATime(string kustomization)
    {
        var manifests = Manifests.Render(kustomization);
        var pod = manifests.Coordinator.Spec.Template.Spec;
        string state = Bindings.Coordinator(manifests.CoordinatorContainer).StateDirectory;

        var mount = manifests.CoordinatorContainer.VolumeMounts.SingleOrDefault(m => state.StartsWith(m.MountPath.TrimEnd('/') + "/", StringComparison.Ordinal));
        Assert.True(mount is not null, $"Coordinator:StateDirectory {state} is not under any volume mount");
        Assert.NotNull(pod.Volumes.Single(v => v.Name == mount.Name).PersistentVolumeClaim);
        Assert.Equal((1, "Recreate"), (manifests.Coordinator.Spec.Replicas, manifests.Coordinator.Spec.Strategy.Type));
    }

    [KubectlTheory]
    [MemberData(nameof(Manifests.Kustomizations), MemberType = typeof(Manifests))]
    public void CentreService_StateDirectory_IsOnItsOwnPersistentVolumeAndOnePodAtATime(string kustomization)
    {
        var manifests = Manifests.Render(kustomization);
        var pod = manifests.CentreService.Spec.Template.Spec;
        string state = Bindings.CentreService(manifests.CentreServiceContainer).StateDirectory;

        var mount = manifests.CentreServiceContainer.VolumeMounts.SingleOrDefault(m => state.StartsWith(m.MountPath.TrimEnd('/') + "/", StringComparison.Ordinal));
        Assert.True(mount is not null, $"CentreService:StateDirectory {state} is not under any volume mount");
        string claim = pod.Volumes.Single(v => v.Name == mount.Name).PersistentVolumeClaim?.ClaimName
            ?? throw new Xunit.Sdk.XunitException($"the volume at {mount.MountPath} is not a PersistentVolumeClaim");
        Assert.Equal((1, "Recreate"), (manifests.CentreService.Spec.Replicas, manifests.CentreService.Spec.Strategy.Type));
        // No other pod mounts the claim: ReadWriteOnce is enough and nothing else writes the snapshots or the push log.
        Assert.Contains("ReadWriteOnce", manifests.Single<V1PersistentVolumeClaim>(claim).Spec.AccessModes);
        Assert.All(manifests.PodSpecs().Where(p => p.Owner != Manifests.CentreServiceName),
            p => Assert.DoesNotContain(p.Pod.Volumes ?? [], v => v.PersistentVolumeClaim?.ClaimName == claim));
    }
}
