using Leap.Training.Modeling;
using Leap.Training.Platform;
using static TorchSharp.torch;

namespace Leap.Training.Tests;

public sealed class OneDnnIsaLimitTests
{
    [Theory]
    [InlineData("vendor_id\t: AuthenticAMD\ncpu family\t: 26\nmodel\t\t: 2\n", true)]
    [InlineData("vendor_id\t: AuthenticAMD\ncpu family\t: 25\n", false)]
    [InlineData("vendor_id\t: GenuineIntel\ncpu family\t: 26\n", false)]
    [InlineData("", false)]
    public void IsAffected_CpuInfo_OnlyAmdFamily26(string cpuInfo, bool expected) =>
        Assert.Equal(expected, OneDnnIsaLimit.IsAffected(cpuInfo));

    /// <summary>The crash the limit avoids: the backward pass of a 1x1 convolution (every ResNet has them) on an affected CPU.</summary>
    [Fact]
    public void Backward_ResNet50OnThisMachine_CompletesWithFiniteGradients()
    {
        using var scope = NewDisposeScope();
        using var network = EmbeddingNetwork.Create(BackboneKind.ResNet50, new ImageShape(3, 64, 64), 64);
        var embeddings = network.forward(randn(2, 3, 64, 64));
        embeddings.pow(2).sum().backward();

        Assert.All(network.parameters(), p => Assert.True(p.grad!.isfinite().all().item<bool>()));
        if (OneDnnIsaLimit.IsAffected(File.Exists("/proc/cpuinfo") ? File.ReadAllText("/proc/cpuinfo") : ""))
        {
            Assert.Equal(OneDnnIsaLimit.Limit, Environment.GetEnvironmentVariable(OneDnnIsaLimit.Variable));
        }
    }
}
