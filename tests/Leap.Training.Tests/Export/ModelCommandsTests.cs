using Leap.Data.Synthetic;
using Leap.Inference;
using Leap.Runs;
using Leap.Runs.Configuration;
using Leap.Training.Configuration;
using Leap.Training.Engine;
using Leap.Training.Export;
using Leap.Training.Modeling;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;
using TrainingSession = Leap.Training.Engine.TrainingSession;

namespace Leap.Training.Tests.Export;

/// <summary>A run directory with one checkpoint (step 0, SmallCnn on a 28x28 IDX set) and a synthetic identity folder with LFW pairs.</summary>
public sealed class ExportRunFixture : IDisposable
{
    public ExportRunFixture()
    {
        string data = Path.Combine(Root, "idx");
        IdxFixture.Write(data, [20, 20, 20, 20], testPerClass: 5, seed: 3);
        var options = new TrainingOptions
        {
            OutputDirectory = Run,
            Data = { Path = data, Format = DataFormat.Idx },
            Model = { Backbone = BackboneKind.SmallCnn, EmbeddingDimension = 16 },
        };
        Directory.CreateDirectory(Run);
        RunConfigFile.Save(options);
        using (var session = new TrainingSession(options, [20, 20, 20, 20], new ImageShape(1, 28, 28), CPU))
        {
            session.SaveCheckpoint();
        }
        SyntheticIdentities.Write(Identities, classes: 6, maxImages: 8, minImages: 3, size: 32, seed: 2);
        File.WriteAllText(Path.Combine(Identities, "pairs.txt"), SyntheticPairs.Format(6, 8, 3, folds: 10, pairsPerFold: 3, seed: 2));
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "leap-export-" + Guid.NewGuid().ToString("N"));
    public string Run => Path.Combine(Root, "run");
    public string Identities => Path.Combine(Root, "identities");

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}

/// <summary><c>leap export</c>, <c>leap embed</c> and <c>leap verify</c> as real processes on <see cref="ExportRunFixture"/>.</summary>
public sealed class ModelCommandsTests(ExportRunFixture fixture) : IClassFixture<ExportRunFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public void Export_LatestCheckpoint_OnnxRuntimeEmbedsAsTheRunsNetworkWithItsPreprocessing()
    {
        string model = Path.Combine(fixture.Root, "export-latest.onnx");

        var (code, stdout, error) = LeapProcess.Run(Timeout, "export", "--run", fixture.Run, "--out", model, "--fold-bn");

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{error}");
        using var trained = TrainedNetwork.Open(fixture.Run, CheckpointChoice.Latest);
        using var session = new InferenceSession(model);
        var metadata = EmbeddingModelMetadata.FromProperties(session.ModelMetadata.CustomMetadataMap, model);
        Assert.Equal(trained.Metadata with { BatchNormFolded = true, Mean = metadata.Mean, Std = metadata.Std }, metadata);
        Assert.Equal((1, 28, 28, 16), (metadata.Channels, metadata.Height, metadata.Width, metadata.EmbeddingDimension));
        Assert.Equal([0.5f], metadata.Mean);
        Assert.Equal([0.35f], metadata.Std);
        using var scope = NewDisposeScope();
        var images = randn(3, 1, 28, 28);
        using var guard = no_grad();
        float[] expected = trained.Network.forward(images).data<float>().ToArray();
        using var input = OrtValue.CreateTensorValueFromMemory(images.data<float>().ToArray(), [3, 1, 28, 28]);
        using var run = new RunOptions();
        using var outputs = session.Run(run, [EmbeddingNetworkExport.InputName], [input], [EmbeddingNetworkExport.OutputName]);
        float difference = expected.Zip(outputs[0].GetTensorDataAsSpan<float>().ToArray(), (e, a) => Math.Abs(e - a)).Max();
        Assert.True(difference <= 1e-4f, $"Expected ONNX Runtime within 1e-4 of TorchSharp; the largest difference is {difference}.");
    }

    [Fact]
    public void Export_MissingCheckpoint_ExitsTwoNamingTheStep()
    {
        var (code, stdout, error) = LeapProcess.Run(Timeout, "export", "--run", fixture.Run, "--checkpoint", "999", "--out", Path.Combine(fixture.Root, "never.onnx"));

        Assert.True(code == 2, $"exit {code}\n{stdout}\n{error}");
        Assert.Contains("no complete checkpoint of step 999", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(fixture.Root, "never.onnx")));
    }

    [Fact]
    public void Embed_IdentityFolder_WritesUnitLengthRowsAndTheImageList()
    {
        string model = Export("embed.onnx");
        string npy = Path.Combine(fixture.Root, "embeddings.npy");

        var (code, stdout, error) = LeapProcess.Run(Timeout, "embed", "--model", model, "--input", fixture.Identities, "--out", npy, "--no-progress");

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{error}");
        int images = Enumerable.Range(0, 6).Sum(c => SyntheticIdentities.ImagesOf(c, 6, 8, 3));
        byte[] bytes = File.ReadAllBytes(npy);
        Assert.Equal(NpyFile.Header(images, 16), bytes[..128]);
        float[] values = new float[images * 16];
        Buffer.BlockCopy(bytes, 128, values, 0, values.Length * sizeof(float));
        Assert.Equal(bytes.Length, 128 + (values.Length * sizeof(float)));
        for (int i = 0; i < images; i++)
        {
            Assert.Equal(1.0, Math.Sqrt(values.Skip(i * 16).Take(16).Sum(v => (double)v * v)), 5);
        }
        string[] list = File.ReadAllLines(Path.ChangeExtension(npy, ".txt"));
        Assert.Equal(images, list.Length);
        Assert.EndsWith($"0000.png\t{SyntheticPairs.Name(0)}", list[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Embed_RunCheckpoint_SameEmbeddingsAsTheExportedModel()
    {
        string model = Export("embed-compare.onnx");
        string fromModel = Path.Combine(fixture.Root, "from-model.npy"), fromRun = Path.Combine(fixture.Root, "from-run.npy");

        var a = LeapProcess.Run(Timeout, "embed", "--model", model, "--input", fixture.Identities, "--out", fromModel, "--no-progress");
        var b = LeapProcess.Run(Timeout, "embed", "--run", fixture.Run, "--input", fixture.Identities, "--out", fromRun, "--no-progress");

        Assert.True(a.ExitCode == 0 && b.ExitCode == 0, $"{a}\n{b}");
        byte[] x = File.ReadAllBytes(fromModel), y = File.ReadAllBytes(fromRun);
        Assert.Equal(x.Length, y.Length);
        float difference = Enumerable.Range(0, (x.Length - 128) / 4).Max(i => Math.Abs(BitConverter.ToSingle(x, 128 + (4 * i)) - BitConverter.ToSingle(y, 128 + (4 * i))));
        Assert.True(difference <= 1e-5f, $"Expected the same L2-normalised embeddings; the largest difference is {difference}.");
    }

    [Fact]
    public void Embed_UndecodableImage_ExitsTwoNamingTheFile()
    {
        string model = Export("embed-bad.onnx");
        string folder = Path.Combine(fixture.Root, "bad-images", "person");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(fixture.Identities, SyntheticPairs.Name(0), "0000.png"), Path.Combine(folder, "0000.png"));
        string broken = Path.Combine(folder, "0001.png");
        File.WriteAllText(broken, "not a png");

        var (code, stdout, error) = LeapProcess.Run(Timeout, "embed", "--model", model, "--input", Path.GetDirectoryName(folder)!, "--out", Path.Combine(fixture.Root, "bad.npy"), "--no-progress");

        Assert.True(code == 2, $"exit {code}\n{stdout}\n{error}");
        Assert.Contains(broken, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_SyntheticLfwPairs_PrintsTheMetricsAndDrawsTheRoc()
    {
        string model = Export("verify.onnx");
        string roc = Path.Combine(fixture.Root, "roc.png");

        var (code, stdout, error) = LeapProcess.Run(Timeout, "verify", "--model", model, "--pairs", Path.Combine(fixture.Identities, "pairs.txt"), "--roc", roc, "--no-progress");

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{error}");
        Assert.Contains("60 pairs (30 same)", stdout, StringComparison.Ordinal);
        Assert.Contains("10-fold accuracy:", stdout, StringComparison.Ordinal);
        Assert.Contains("AUC:", stdout, StringComparison.Ordinal);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(roc)[..4]);
    }

    [Fact]
    public void Verify_PairNamingAMissingImage_ExitsTwoNamingIt()
    {
        string model = Export("verify-missing.onnx");
        string pairs = Path.Combine(fixture.Root, "missing-pairs.txt");
        File.WriteAllText(pairs, $"1\t1\n{SyntheticPairs.Name(0)}\t1\t99\n{SyntheticPairs.Name(0)}\t1\t{SyntheticPairs.Name(1)}\t1\n");

        var (code, stdout, error) = LeapProcess.Run(Timeout, "verify", "--model", model, "--pairs", pairs, "--images", fixture.Identities, "--no-progress");

        Assert.True(code == 2, $"exit {code}\n{stdout}\n{error}");
        Assert.Contains($"names {SyntheticPairs.Name(0)} image 99", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_AnyShape_IsNumPyV1PaddedTo64Bytes()
    {
        byte[] header = NpyFile.Header(146, 64);
        Assert.Equal(0, header.Length % 64);
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, header[..8]);
        Assert.Equal(header.Length - 10, BitConverter.ToUInt16(header, 8));
        string dict = System.Text.Encoding.ASCII.GetString(header, 10, header.Length - 10);
        Assert.StartsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (146, 64), }", dict, StringComparison.Ordinal);
        Assert.EndsWith(" \n", dict, StringComparison.Ordinal);
    }

    private string Export(string name)
    {
        string model = Path.Combine(fixture.Root, name);
        var (code, stdout, error) = LeapProcess.Run(Timeout, "export", "--run", fixture.Run, "--out", model);
        Assert.True(code == 0, $"exit {code}\n{stdout}\n{error}");
        return model;
    }
}
