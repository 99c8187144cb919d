using System.Globalization;
using k8s.Models;
using Leap.Cli.Hosting;
using Leap.Deployment.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Leap.Deployment.Tests;

/// <summary>
/// Prometheus scraping: each leap container's metrics port (coordinator: Metrics:Port, validated as the host does;
/// worker: --metrics-port) is a named container port, differs from its gRPC / peer port, and the pod's
/// prometheus.io/* annotations point at it.
/// </summary>
public sealed class MetricsPortTests
{
    [KubectlTheory]
    [MemberData(nameof(Manifests.Kustomizations), MemberType = typeof(Manifests))]
    public void CoordinatorMetricsPort_SettingContainerPortAndAnnotations_Agree(string kustomization)
    {
        var manifests = Manifests.Render(kustomization);
        AssertMetricsPortSetting(manifests.CoordinatorContainer, manifests.Coordinator.Spec.Template.Metadata);
    }

    [KubectlTheory]
    [MemberData(nameof(Manifests.Kustomizations), MemberType = typeof(Manifests))]
    public void CentreServiceMetricsPort_SettingContainerPortAndAnnotations_Agree(string kustomization)
    {
        var manifests = Manifests.Render(kustomization);
        AssertMetricsPortSetting(manifests.CentreServiceContainer, manifests.CentreService.Spec.Template.Metadata);
    }

    /// <summary>Metrics:Port from --set and LEAP_Metrics__Port, read and validated as GrpcHostBuilder does for both hosts.</summary>
    private static void AssertMetricsPortSetting(V1Container container, V1ObjectMeta podMetadata)
    {
        int grpcPort = int.Parse(Manifests.Argument(container, "--port") ?? "", CultureInfo.InvariantCulture);
        var settings = Manifests.SetArguments(container).Select(s => s.Split('=', 2)).ToDictionary(kv => kv[0], kv => (string?)kv[1]);
        foreach (var (key, value) in Bindings.ConfigurationFromEnv(container))
        {
            settings.TryAdd(key, value);
        }

        int port = MetricsOptions.Read(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), grpcPort).Port;

        Assert.True(port != 0, $"{container.Name} must serve metrics (Metrics:Port is 0 or unset)");
        AssertScrapeable(container, podMetadata, port);
    }

    [KubectlTheory]
    [MemberData(nameof(Manifests.Kustomizations), MemberType = typeof(Manifests))]
    public void WorkerMetricsPort_ArgumentContainerPortAndAnnotations_Agree(string kustomization)
    {
        var manifests = Manifests.Render(kustomization);
        var worker = manifests.WorkerContainer;

        int port = int.Parse(Manifests.Argument(worker, "--metrics-port") ?? "0", CultureInfo.InvariantCulture);

        Assert.NotEqual(0, port);
        Assert.NotEqual(Manifests.Argument(worker, "--peer-port"), port.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("0", CliSource.Commands["worker"].Defaults["--metrics-port"]); // off unless asked for
        AssertScrapeable(worker, manifests.Workers.Spec.Template.Metadata, port);
    }

    private static void AssertScrapeable(V1Container container, V1ObjectMeta pod, int port)
    {
        var metrics = Assert.Single(container.Ports, p => p.Name == "metrics");
        Assert.Equal((port, "TCP"), (metrics.ContainerPort, metrics.Protocol));
        Assert.DoesNotContain(container.Ports, p => p.Name != "metrics" && p.ContainerPort == port);
        IDictionary<string, string> annotations = pod.Annotations ?? new Dictionary<string, string>();
        Assert.Equal("true", Annotation(annotations, "prometheus.io/scrape"));
        Assert.Equal(port.ToString(CultureInfo.InvariantCulture), Annotation(annotations, "prometheus.io/port"));
        Assert.Equal("/metrics", Annotation(annotations, "prometheus.io/path"));
    }

    private static string? Annotation(IDictionary<string, string> annotations, string key) =>
        annotations.TryGetValue(key, out string? value) ? value : null;
}
