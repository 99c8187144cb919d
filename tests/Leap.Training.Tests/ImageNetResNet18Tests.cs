using Leap.Onnx;
using Leap.Training.Configuration;
using Leap.Training.Data;
using Leap.Training.Modeling;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using TorchSharp.Modules;
using Xunit.Abstractions;
using static TorchSharp.torch;
using TrainingSession = Leap.Training.Engine.TrainingSession;

namespace Leap.Training.Tests;

/// <summary>
/// Model:Pretrained = ImageNet: the shipped ONNX ResNet-18 loaded into TorchSharp computes what ONNX Runtime computes from
/// the same file. Both run forward only, in float32 on the CPU, so they differ by summation order alone.
/// </summary>
public sealed class ImageNetResNet18Tests(ITestOutputHelper output)
{
    private const int Batch = 2;
    private const int Size = 224;
    private const int Features = 512;

    /// <summary>Absolute bound on the pooled features (largest about 10.5 here; measured differences about 6e-6, see the test output).</summary>
    private const float Tolerance = 1e-4f;

    [Fact]
    public void Read_ShippedFile_FindsCntksResNet18LayoutWithThreeBlocksInTheLastStage()
    {
        var graph = OnnxResNetGraph.Read(OnnxModelFile.Read(ImageNetResNet18.ShippedPath).Graph);

        Assert.Equal([2, 2, 2, 3], graph.BlocksPerStage);
        Assert.Equal([false, false, true, false, true, false, true, false, false], graph.Blocks.Select(b => b.Projection is not null));
    }

    [Fact]
    public void CreateAsExported_SameInput_PooledFeaturesEqualOnnxRuntimes()
    {
        using var scope = NewDisposeScope();
        // The exported model's input scale: BGR pixel values in [0, 255] minus a mean of about 115.
        var input = rand(Batch, 3, Size, Size, generator: new Generator(11)).mul_(255).sub_(128);
        using var resnet = ImageNetResNet18.CreateAsExported(ImageNetResNet18.ShippedPath, numClasses: 8);

        float[] ours = TrunkFeatures(resnet, input);
        float[] reference = OnnxRuntimeFeatures(input);

        AssertClose(reference, ours);
    }

    [Fact]
    public void Create_ImageNetNormalisedRgb_PooledFeaturesEqualOnnxRuntimesOnTheSamePixelsAsBgr()
    {
        using var scope = NewDisposeScope();
        var normalised = randn(Batch, 3, Size, Size, generator: new Generator(12));
        // What the exported model reads for the same pixels p = s x + m: 255 p - 255 m = 255 s x, channels reversed.
        var std = tensor(ImageSourceFactory.ImageNetStd.ToArray()).view(1, 3, 1, 1);
        var exportedInput = normalised.mul(std).mul_(255).flip(1);
        using var resnet = ImageNetResNet18.Create(ImageNetResNet18.ShippedPath, numClasses: 8);

        float[] ours = TrunkFeatures(resnet, normalised);
        float[] reference = OnnxRuntimeFeatures(exportedInput);

        AssertClose(reference, ours);
    }

    [Fact]
    public void Create_ThroughEmbeddingNetwork_GivesEmbeddingsOfTheConfiguredDimension()
    {
        using var scope = NewDisposeScope();
        using var network = EmbeddingNetwork.Create(BackboneKind.ResNet18, new ImageShape(1, 112, 112), 16, imageNetResNet18: ImageNetResNet18.ShippedPath);
        network.eval();

        var embeddings = network.forward(randn(Batch, 1, 112, 112, generator: new Generator(13)));

        Assert.Equal(new long[] { Batch, 16 }, embeddings.shape);
        Assert.True(embeddings.isfinite().all().item<bool>());
    }

    [Fact]
    public void TrainingSession_MissingPretrainedPath_ThrowsFileNotFoundNamingTheKey()
    {
        var options = new TrainingOptions
        {
            Model = { Backbone = BackboneKind.ResNet18, Pretrained = PretrainedWeights.ImageNet, PretrainedPath = "/nonexistent/resnet18.onnx" },
        };

        var e = Assert.Throws<FileNotFoundException>(() => new TrainingSession(options, [4, 4], new ImageShape(3, 64, 64), CPU));

        Assert.Contains("Training:Model:PretrainedPath", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(BackboneKind.SmallCnn, PretrainedWeights.ImageNet, "", "Training:Model:Pretrained = ImageNet is only available with Training:Model:Backbone = ResNet18")]
    [InlineData(BackboneKind.ResNet50, PretrainedWeights.ImageNet, "", "Training:Model:Pretrained = ImageNet is only available with Training:Model:Backbone = ResNet18")]
    [InlineData(BackboneKind.ResNet18, PretrainedWeights.None, "weights.onnx", "Training:Model:PretrainedPath = 'weights.onnx' needs Training:Model:Pretrained = ImageNet")]
    public void Validate_PretrainedMisconfigured_NamesTheKeys(BackboneKind backbone, PretrainedWeights pretrained, string path, string expected)
    {
        var errors = TrainingOptionsValidator.Validate(new TrainingOptions { Model = { Backbone = backbone, Pretrained = pretrained, PretrainedPath = path } });

        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ImageNetWithResNet18_IsValid() =>
        Assert.Empty(TrainingOptionsValidator.Validate(new TrainingOptions { Model = { Backbone = BackboneKind.ResNet18, Pretrained = PretrainedWeights.ImageNet } }));

    /// <summary>The ResNet up to and including the global average pool (every child but fc), in eval mode.</summary>
    private static float[] TrunkFeatures(ResNet resnet, Tensor input)
    {
        resnet.eval();
        using var guard = no_grad();
        var children = resnet.named_children().ToList();
        Assert.Equal(["conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool", "flatten", "fc"], children.Select(c => c.name));
        var x = input;
        foreach (var (_, child) in children.SkipLast(1))
        {
            x = ((nn.Module<Tensor, Tensor>)child).forward(x);
        }
        Assert.Equal(new long[] { Batch, Features }, x.shape);
        return x.data<float>().ToArray();
    }

    /// <summary>The shipped file run by ONNX Runtime, one image at a time (its input shape is fixed at 1 x 3 x 224 x 224).</summary>
    private static float[] OnnxRuntimeFeatures(Tensor input)
    {
        using var session = new InferenceSession(ImageNetResNet18.ShippedPath);
        string inputName = session.InputNames.Single();
        string outputName = session.OutputNames.Single();
        float[] pixels = input.contiguous().data<float>().ToArray();
        var features = new List<float>();
        using var run = new RunOptions();
        for (int i = 0; i < Batch; i++)
        {
            using var image = OrtValue.CreateTensorValueFromMemory(pixels[(i * 3 * Size * Size)..((i + 1) * 3 * Size * Size)], [1, 3, Size, Size]);
            using var outputs = session.Run(run, [inputName], [image], [outputName]);
            Assert.Equal([1L, Features, 1, 1], outputs[0].GetTensorTypeAndShape().Shape);
            features.AddRange(outputs[0].GetTensorDataAsSpan<float>().ToArray());
        }
        return [.. features];
    }

    private void AssertClose(float[] reference, float[] actual)
    {
        Assert.Equal(reference.Length, actual.Length);
        float maxDifference = reference.Zip(actual, (r, a) => Math.Abs(r - a)).Max();
        float scale = reference.Max(Math.Abs);
        output.WriteLine($"max |ONNX Runtime - TorchSharp| = {maxDifference:e3} over {reference.Length} features; max |feature| = {scale:f3}, mean = {reference.Average():f4}");
        Assert.True(scale > 0.1f, $"Expected non-trivial features; the largest is {scale}.");
        Assert.True(maxDifference <= Tolerance, $"Expected every pooled feature within {Tolerance} of ONNX Runtime's; the largest difference is {maxDifference} (largest feature {scale}).");
    }
}
