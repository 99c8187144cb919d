using k8s.Models;
using Leap.Deployment.Tests.Infrastructure;

namespace Leap.Deployment.Tests;

/// <summary>What each overlay is for: a small CPU run, or GPU workers.</summary>
public sealed class OverlayTests
{
    [KubectlTheory]
    [InlineData("overlays/cpu-smoke")]
    public void CpuSmoke_Workers_AreTwoShortSmallCpuRanks(string overlay)
    {
        var manifests = Manifests.Render(overlay);
        var worker = manifests.WorkerContainer;
        var training = Bindings.Training(Bindings.TrainingJson(manifests), worker);
        var full = Bindings.Training(Bindings.TrainingJson(Manifests.Render("base")), Manifests.Render("base").WorkerContainer);

        Assert.Equal(2, manifests.Workers.Spec.Parallelism);
        Assert.Equal("cpu", training.Device);
        Assert.True(training.Steps < full.Steps, $"cpu-smoke runs {training.Steps} steps, the base {full.Steps}");
        Assert.Equal(new ResourceQuantity("1"), worker.Resources.Limits["cpu"]);
        Assert.Equal(1, training.Threads);
        Assert.DoesNotContain("nvidia.com/gpu", worker.Resources.Limits.Keys);
    }

    [KubectlTheory]
    [InlineData("overlays/cpu-smoke")]
    public void CpuSmoke_EveryClaim_IsPatchedToASmallReadWriteOnceVolume(string overlay)
    {
        var claims = Manifests.Render(overlay).OfType<V1PersistentVolumeClaim>().ToList();
        var baseClaims = Manifests.Render("base").OfType<V1PersistentVolumeClaim>().ToDictionary(c => c.Metadata.Name, StringComparer.Ordinal);

        Assert.Equal(baseClaims.Keys.Order(StringComparer.Ordinal), claims.Select(c => c.Metadata.Name).Order(StringComparer.Ordinal));
        Assert.All(claims, c =>
        {
            Assert.Equal(["ReadWriteOnce"], c.Spec.AccessModes);
            decimal size = c.Spec.Resources.Requests["storage"].ToDecimal();
            decimal full = baseClaims[c.Metadata.Name].Spec.Resources.Requests["storage"].ToDecimal();
            Assert.True(size < full, $"cpu-smoke claim {c.Metadata.Name} requests {size} bytes, the base {full}: its volume patch does not cover it");
        });
    }

    [KubectlTheory]
    [InlineData("overlays/gpu")]
    public void Gpu_Workers_RequestOneGpuAndTrainOnCuda(string overlay)
    {
        var manifests = Manifests.Render(overlay);
        var worker = manifests.WorkerContainer;
        var pod = manifests.Workers.Spec.Template.Spec;

        var training = Bindings.Training(Bindings.TrainingJson(manifests), worker);

        Assert.Equal("cuda", training.Device);
        Assert.Equal(new ResourceQuantity("1"), worker.Resources.Limits["nvidia.com/gpu"]);
        Assert.Equal("leap:gpu", worker.Image);
        Assert.NotEmpty(pod.NodeSelector);
        Assert.Contains(pod.Tolerations, t => t.Key == "nvidia.com/gpu");
        Assert.DoesNotContain("nvidia.com/gpu", manifests.CoordinatorContainer.Resources.Limits.Keys);
    }
}
