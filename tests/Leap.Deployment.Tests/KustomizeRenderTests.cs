using k8s.Models;
using Leap.Deployment.Tests.Infrastructure;

namespace Leap.Deployment.Tests;

/// <summary><c>kubectl kustomize</c> renders every kustomization into the objects of a complete deployment.</summary>
public sealed class KustomizeRenderTests
{
    [KubectlTheory]
    [MemberData(nameof(Manifests.Kustomizations), MemberType = typeof(Manifests))]
    public void Kustomize_Kustomization_RendersTheWholeDeployment(string kustomization)
    {
        var manifests = Manifests.Render(kustomization);

        Assert.Equal("leap", Assert.Single(manifests.OfType<V1Namespace>()).Metadata.Name);
        Assert.Equal(1, manifests.Coordinator.Spec.Replicas);
        Assert.Equal(Manifests.CoordinatorName, manifests.Single<V1Service>(Manifests.CoordinatorName).Metadata.Name);
        Assert.Equal(1, manifests.CentreService.Spec.Replicas);
        Assert.Equal(Manifests.CentreServiceName, manifests.Single<V1Service>(Manifests.CentreServiceName).Metadata.Name);
        Assert.Equal("Indexed", manifests.Workers.Spec.CompletionMode);
        manifests.Generated<V1ConfigMap>("leap-training");
        manifests.Generated<V1Secret>("leap-auth");
        Assert.Equal(["leap-centre-state", "leap-data", "leap-runs"], manifests.OfType<V1PersistentVolumeClaim>().Select(p => p.Metadata.Name).Order(StringComparer.Ordinal));
        Assert.All(manifests.Objects.OfType<IMetadata<V1ObjectMeta>>().Where(o => o is not V1Namespace),
            o => Assert.True(o.Metadata.NamespaceProperty == "leap", $"{o.Metadata.Name} is in namespace '{o.Metadata.NamespaceProperty}', expected 'leap'"));
    }

    [KubectlTheory]
    [MemberData(nameof(Manifests.Kustomizations), MemberType = typeof(Manifests))]
    public void Kustomize_Kustomization_MountsGeneratedNamesThatExist(string kustomization)
    {
        var manifests = Manifests.Render(kustomization);
        var configMaps = manifests.OfType<V1ConfigMap>().Select(c => c.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        var secrets = manifests.OfType<V1Secret>().ToDictionary(s => s.Metadata.Name, StringComparer.Ordinal);
        var claims = manifests.OfType<V1PersistentVolumeClaim>().Select(c => c.Metadata.Name).ToHashSet(StringComparer.Ordinal);

        foreach (var (owner, pod) in manifests.PodSpecs())
        {
            foreach (var volume in pod.Volumes ?? [])
            {
                if (volume.ConfigMap is { } configMap)
                {
                    Assert.True(configMaps.Contains(configMap.Name), $"{owner}: volume {volume.Name} mounts ConfigMap '{configMap.Name}', which is not rendered");
                }
                if (volume.PersistentVolumeClaim is { } claim)
                {
                    Assert.True(claims.Contains(claim.ClaimName), $"{owner}: volume {volume.Name} uses PVC '{claim.ClaimName}', which is not rendered");
                }
            }
            foreach (var env in pod.Containers.Concat(pod.InitContainers ?? []).SelectMany(c => c.Env ?? []))
            {
                if (env.ValueFrom?.SecretKeyRef is { } secretRef)
                {
                    Assert.True(secrets.TryGetValue(secretRef.Name, out var secret) && secret.Data?.ContainsKey(secretRef.Key) == true,
                        $"{owner}: {env.Name} reads key '{secretRef.Key}' of Secret '{secretRef.Name}', which is not rendered");
                }
            }
        }
    }
}
