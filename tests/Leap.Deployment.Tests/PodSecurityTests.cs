using System.Text.RegularExpressions;
using k8s.Models;
using Leap.Deployment.Tests.Infrastructure;

namespace Leap.Deployment.Tests;

/// <summary>Pods run as the image's non-root user, without privilege, with bounded resources.</summary>
public sealed partial class PodSecurityTests
{
    [KubectlTheory]
    [MemberData(nameof(Manifests.Kustomizations), MemberType = typeof(Manifests))]
    public void Pods_SecurityContext_RunAsTheDockerfilesNonRootUser(string kustomization)
    {
        string dockerfile = File.ReadAllText(RepositoryPaths.Combine("Dockerfile"));
        string user = UserInstruction().Matches(dockerfile).Last().Groups[1].Value;
        long? pinnedUid = PinnedUid().Match(dockerfile) is { Success: true } m ? long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
        Assert.NotEqual("root", user);
        Assert.NotEqual("0", user);

        foreach (var (owner, pod) in Manifests.Render(kustomization).PodSpecs())
        {
            var context = pod.SecurityContext;
            Assert.True(context?.RunAsNonRoot == true, $"{owner}: runAsNonRoot must be true");
            // USER is a name; the kubelet can only enforce runAsNonRoot with a numeric runAsUser.
            Assert.True(context.RunAsUser is > 0, $"{owner}: runAsUser must be a non-zero uid (the Dockerfile's USER '{user}' is a name)");
            if (pinnedUid is not null)
            {
                Assert.Equal(pinnedUid, context.RunAsUser);
            }
            Assert.Equal(context.RunAsUser, context.FsGroup);
            foreach (var container in pod.Containers.Concat(pod.InitContainers ?? []))
            {
                Assert.True(container.SecurityContext?.AllowPrivilegeEscalation == false, $"{owner}/{container.Name}: allowPrivilegeEscalation must be false");
                Assert.Contains("ALL", container.SecurityContext.Capabilities?.Drop ?? []);
                if (container.SecurityContext.ReadOnlyRootFilesystem == true && container.Command is null)
                {
                    // The image's entrypoint (the .NET runtime) needs a writable /tmp.
                    Assert.Contains("/tmp", (container.VolumeMounts ?? []).Select(v => v.MountPath));
                }
            }
        }
    }

    [KubectlTheory]
    [MemberData(nameof(Manifests.Kustomizations), MemberType = typeof(Manifests))]
    public void Containers_Resources_HaveRequestsAndLimitsWithValidNames(string kustomization)
    {
        foreach (var (owner, pod) in Manifests.Render(kustomization).PodSpecs())
        {
            foreach (var container in pod.Containers.Concat(pod.InitContainers ?? []))
            {
                var resources = container.Resources;
                Assert.True(resources?.Requests?.ContainsKey("cpu") == true && resources.Requests.ContainsKey("memory"),
                    $"{owner}/{container.Name}: cpu and memory requests are required");
                Assert.True(resources.Limits?.ContainsKey("memory") == true, $"{owner}/{container.Name}: a memory limit is required");
                Assert.All(resources.Requests.Keys.Concat(resources.Limits.Keys), name => Assert.True(
                    name is "cpu" or "memory" or "ephemeral-storage" || name.Contains('/', StringComparison.Ordinal),
                    $"{owner}/{container.Name}: '{name}' is not a resource name"));
            }
        }
    }

    [KubectlTheory]
    [MemberData(nameof(Manifests.Kustomizations), MemberType = typeof(Manifests))]
    public void Pods_ReadingLeapVariables_DisableServiceLinks(string kustomization)
    {
        // Services named leap-* would inject LEAP_<SERVICE>_* variables into every pod, which the LEAP_ prefix reads.
        Assert.All(Manifests.Render(kustomization).PodSpecs(),
            p => Assert.True(p.Pod.EnableServiceLinks == false, $"{p.Owner}: enableServiceLinks must be false"));
    }

    [KubectlTheory]
    [MemberData(nameof(Manifests.Kustomizations), MemberType = typeof(Manifests))]
    public void CentreService_PodAndContainerSecurity_AreTheCoordinators(string kustomization)
    {
        var manifests = Manifests.Render(kustomization);
        var coordinator = manifests.Coordinator.Spec.Template.Spec;
        var centre = manifests.CentreService.Spec.Template.Spec;

        Assert.Equal(k8s.KubernetesJson.Serialize(coordinator.SecurityContext), k8s.KubernetesJson.Serialize(centre.SecurityContext));
        Assert.Equal(k8s.KubernetesJson.Serialize(manifests.CoordinatorContainer.SecurityContext), k8s.KubernetesJson.Serialize(manifests.CentreServiceContainer.SecurityContext));
        Assert.Equal((false, false), (centre.EnableServiceLinks, centre.AutomountServiceAccountToken));
        Assert.Equal(true, manifests.CentreServiceContainer.SecurityContext.ReadOnlyRootFilesystem);
    }

    [GeneratedRegex(@"^USER\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex UserInstruction();

    [GeneratedRegex(@"useradd[^\n]*--uid[ =](\d+)")]
    private static partial Regex PinnedUid();
}
