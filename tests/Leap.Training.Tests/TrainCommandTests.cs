using System.Text.Json;

namespace Leap.Training.Tests;

public sealed class TrainCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-cli-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Train_UnknownKeyInConfigFile_ExitsNonZeroNamingTheKey()
    {
        Directory.CreateDirectory(_root);
        string config = Path.Combine(_root, "bad.json");
        File.WriteAllText(config, """{ "Training": { "Loss": { "Scael": 24 } } }""");

        var (code, _, error) = LeapProcess.Run(Timeout, "train", "--config", config);

        Assert.Equal(2, code);
        Assert.Contains("Training:Loss:Scael", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Loss:Scale=-1", "Training:Loss:Scale")]
    [InlineData("Leap:CentreLearningRate=1.5", "Training:Leap:CentreLearningRate")]
    [InlineData("BatchSize=1", "Training:BatchSize")]
    [InlineData("Loss:Margin=SphereFace", "Training:Loss:Margin")]
    [InlineData("Device=tpu", "Training:Device")]
    public void Train_OutOfRangeOverride_ExitsNonZeroNamingTheKey(string setting, string key)
    {
        var (code, _, error) = LeapProcess.Run(Timeout, "train", "--set", setting, "--set", $"OutputDirectory={_root}");

        Assert.Equal(2, code);
        Assert.Contains(key, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_SmallLongTailedIdxSet_TrainsAndWritesEvaluation()
    {
        string data = Path.Combine(_root, "idx");
        IdxFixture.Write(data, [300, 300, 300, 300, 300, 300], testPerClass: 40, seed: 5);
        string output = Path.Combine(_root, "run");

        var (code, stdout, error) = LeapProcess.Run(Timeout, "train", "--no-progress",
            "--set", $"Data:Path={data}", "--set", "Data:HeadClasses=3", "--set", "Data:SamplesPerTailClass=8",
            "--set", "Steps=80", "--set", "BatchSize=32", "--set", "Leap:CloudStartIteration=10", "--set", "Leap:HeadThreshold=20",
            "--set", "Evaluation:Pairs=400", "--set", "Threads=1", "--set", $"OutputDirectory={output}");

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{error}");
        Assert.Contains("verification 10-fold accuracy", stdout, StringComparison.Ordinal);
        using var evaluation = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "evaluation.json")));
        double head = evaluation.RootElement.GetProperty("Classification").GetProperty("HeadMeanClassAccuracy").GetDouble();
        Assert.True(head > 0.9, $"head-class accuracy {head} on trivially separable data");
        var manifest = Leap.Data.LongTailManifest.Load(Path.Combine(output, "longtail-manifest.json"));
        Assert.Equal(3, manifest.HeadClassCount);
        Assert.All(manifest.Classes.Where(c => !c.IsHead), c => Assert.Equal(8, c.KeptCount));
        Assert.True(Directory.Exists(Path.Combine(output, "tensorboard")));
        Assert.Single(Directory.GetDirectories(Path.Combine(output, "checkpoints")));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
