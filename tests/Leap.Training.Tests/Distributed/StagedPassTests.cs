using Leap.Training.Distributed;
using Leap.Training.Modeling;
using static TorchSharp.torch;

namespace Leap.Training.Tests.Distributed;

/// <summary>
/// The network cut into stages (<see cref="EmbeddingNetwork.Stages"/>) and run by <see cref="StagedPass"/> computes the
/// same output and the same parameter gradients as the whole network's forward and backward, for every backbone.
/// </summary>
public sealed class StagedPassTests
{
    public static TheoryData<BackboneKind, int, int> Backbones => new()
    {
        { BackboneKind.SmallCnn, 1, 12 },
        { BackboneKind.SmallCnn, 3, 12 },
        { BackboneKind.ResNet18, 1, 32 },
        { BackboneKind.ResNet18, 3, 32 },
        { BackboneKind.ResNet50, 3, 32 },
        { BackboneKind.IResNet18, 3, 16 },
        { BackboneKind.MobileFaceNet, 3, 16 },
    };

    [Theory]
    [MemberData(nameof(Backbones))]
    public void Stages_EveryBackbone_HoldEachParameterOnce(BackboneKind kind, int channels, int size)
    {
        using var network = EmbeddingNetwork.Create(kind, new ImageShape(channels, size, size), 16);

        var staged = network.Stages().SelectMany(s => s.Parameters).Select(p => p.Handle).ToList();
        var all = network.parameters().Select(p => p.Handle).ToList();

        Assert.True(network.Stages().Count >= 3, $"{kind}: only {network.Stages().Count} stages");
        Assert.Equal(staged.Count, staged.Distinct().Count());
        Assert.Equal(all.Order(), staged.Order());
    }

    [Theory]
    [MemberData(nameof(Backbones))]
    public void Backward_EveryBackbone_EqualsTheWholeNetworksGradients(BackboneKind kind, int channels, int size)
    {
        set_num_threads(1);
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var network = EmbeddingNetwork.Create(kind, new ImageShape(channels, size, size), 16);
        network.train();
        var images = randn([4, channels, size, size]);
        var weights = randn([4, 16]);

        var whole = network.forward(images);
        (whole * weights).sum().backward();
        var expected = network.parameters().Select(p => p.grad!.clone()).ToList();
        network.zero_grad();

        var pass = StagedPass.Forward(network.Stages(), images);
        var reported = new List<string>();
        pass.Backward(weights, stage => reported.Add(stage.Name));
        var actual = network.parameters().Select(p => p.grad!).ToList();

        Assert.True(pass.Output.allclose(whole, rtol: 0, atol: 1e-6), $"{kind}: staged output differs by {(pass.Output - whole).abs().max().item<float>()}");
        Assert.Equal(network.Stages().Select(s => s.Name).Reverse(), reported);
        for (int i = 0; i < expected.Count; i++)
        {
            double scale = Math.Max(expected[i].abs().max().item<float>(), 1e-6);
            double worst = (actual[i] - expected[i]).abs().max().item<float>();
            Assert.True(worst <= 1e-6 * scale, $"{kind}: gradient of parameter {i} differs by {worst} (max |grad| {scale})");
        }
    }
}
