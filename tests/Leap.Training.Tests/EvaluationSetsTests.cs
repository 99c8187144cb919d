using System.Globalization;
using System.Text.Json;
using Leap.Data.Synthetic;
using Leap.Evaluation;
using Leap.Training.Configuration;
using Leap.Training.Data;
using Leap.Training.EvaluationSets;
using static TorchSharp.torch;

namespace Leap.Training.Tests;

/// <summary>
/// Evaluation sets opened from configuration and scored with a stand-in embedding (each image's mean colour, which
/// tells the synthetic identities apart): pairs and images must be matched up exactly for the metrics to come out
/// perfect, and a wrong mapping would drop them towards chance.
/// </summary>
public sealed class EvaluationSetsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-evalsets-" + Guid.NewGuid().ToString("N"));
    private readonly DataOptions _data = new() { Format = DataFormat.ImageFolder, Path = "unused", ImageHeight = 16, ImageWidth = 16, DecodeThreads = 2 };

    [Fact]
    public void PairList_LfwLayout_EveryPairScoredAndPerfectWithIdentityColours()
    {
        string pairs = WriteLfwLike(Path.Combine(_root, "lfw"), people: 6, imagesEach: 4, perFold: 2);
        using var sets = EvaluationSetFactory.Open(new EvaluationOptions { Sets = [new() { Kind = EvaluationSetKind.PairList, Path = pairs }] }, _data);

        var set = Assert.IsType<VerificationSet>(Assert.Single(sets));
        var metrics = set.Evaluate(MeanColour);

        Assert.Equal("lfw", set.Name);
        Assert.Equal(40, set.PairCount);
        Assert.Equal(1.0, metrics["accuracy"]);
        Assert.Equal(1.0, metrics["auc"]);
    }

    [Fact]
    public void PairList_PairNamesMissingImage_ThrowsNamingIt()
    {
        string pairs = WriteLfwLike(Path.Combine(_root, "lfw"), people: 6, imagesEach: 4, perFold: 2);
        var lines = File.ReadAllLines(pairs);
        lines[1] = "P_01\t1\t9";
        File.WriteAllLines(pairs, lines);

        var error = Assert.ThrowsAny<Exception>(() => EvaluationSetFactory.Open(new EvaluationOptions { Sets = [new() { Kind = EvaluationSetKind.PairList, Path = pairs }] }, _data));
        Assert.Contains("P_01", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_MissingFile_ThrowsFileNotFoundNamingTheKey()
    {
        var error = Assert.Throws<FileNotFoundException>(() =>
            EvaluationSetFactory.Open(new EvaluationOptions { Sets = [new() { Kind = EvaluationSetKind.Bin, Path = Path.Combine(_root, "lfw.bin") }] }, _data));
        Assert.Contains("Training:Evaluation:Sets:0:Path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReId_MarketLayoutWithoutQuery_OneQueryPerPersonAndCameraAllFoundFirst()
    {
        string root = Path.Combine(_root, "market");
        string test = Path.Combine(root, "bounding_box_test");
        Directory.CreateDirectory(test);
        for (int person = 1; person <= 5; person++)
        {
            for (int camera = 1; camera <= 2; camera++)
            {
                for (int shot = 0; shot < 3; shot++)
                {
                    string name = string.Create(CultureInfo.InvariantCulture, $"{person:0000}_c{camera}s1_{shot:000000}_00.png");
                    File.WriteAllBytes(Path.Combine(test, name), SyntheticIdentities.Draw(person, shot + (3 * camera), 16, 5));
                }
            }
        }

        File.WriteAllBytes(Path.Combine(test, "0000_c1s1_000100_00.png"), SyntheticIdentities.Draw(40, 0, 16, 5));
        File.WriteAllBytes(Path.Combine(test, "-1_c2s1_000100_00.png"), SyntheticIdentities.Draw(41, 0, 16, 5));

        using var sets = EvaluationSetFactory.Open(new EvaluationOptions { Sets = [new() { Kind = EvaluationSetKind.ReId, Path = root }] }, _data);
        var set = Assert.IsType<ReIdSet>(Assert.Single(sets));
        var metrics = set.Evaluate(MeanColour);

        Assert.Equal(10, set.QueryCount);
        Assert.Equal(21, set.GalleryCount);
        Assert.Equal(10, metrics["valid_queries"]);
        Assert.Equal(1.0, metrics["rank1"]);
    }

    [Fact]
    public void Train_WithPairListSet_WritesItsMetricsToEvaluationAndMetricsJsonl()
    {
        string pairs = WriteLfwLike(Path.Combine(_root, "lfw"), people: 6, imagesEach: 4, perFold: 2);
        string rec = RecFixture.Packed(Path.Combine(_root, "train"), classes: 8, maxImages: 16, minImages: 4, size: 16);
        string output = Path.Combine(_root, "run");

        var (code, stdout, error) = LeapProcess.Run(TimeSpan.FromMinutes(3), "train", "--no-progress",
            "--set", "Data:Format=RecordIo", "--set", $"Data:Path={rec}", "--set", "Data:HeadClasses=3", "--set", "Data:SamplesPerTailClass=4", "--set", "Data:HoldOutPerClass=3",
            "--set", "Data:ImageHeight=16", "--set", "Data:ImageWidth=16", "--set", "Steps=20", "--set", "BatchSize=16",
            "--set", "Evaluation:EverySteps=10", "--set", "Evaluation:Pairs=100",
            "--set", "Evaluation:Sets:0:Kind=PairList", "--set", $"Evaluation:Sets:0:Path={pairs}", "--set", "Evaluation:Sets:0:Name=lfwlike",
            "--set", "Threads=1", "--set", $"OutputDirectory={output}");

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{error}");
        Assert.Contains("lfwlike/accuracy", stdout, StringComparison.Ordinal);
        using var evaluation = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "evaluation.json")));
        double accuracy = evaluation.RootElement.GetProperty("Sets").GetProperty("lfwlike/accuracy").GetDouble();
        Assert.InRange(accuracy, 0, 1);
        var validations = File.ReadLines(Path.Combine(output, "metrics.jsonl")).Where(l => l.Contains("\"validation\"", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, validations.Length);
        Assert.All(validations, l => Assert.Contains("\"lfwlike/auc\"", l, StringComparison.Ordinal));
    }

    /// <summary>People P_00.. with images P_00_0001.png ..; pairs.txt of 10 folds, each perFold matched then perFold mismatched pairs.</summary>
    private static string WriteLfwLike(string root, int people, int imagesEach, int perFold)
    {
        for (int p = 0; p < people; p++)
        {
            string name = string.Create(CultureInfo.InvariantCulture, $"P_{p:00}");
            Directory.CreateDirectory(Path.Combine(root, name));
            for (int i = 1; i <= imagesEach; i++)
            {
                File.WriteAllBytes(Path.Combine(root, name, string.Create(CultureInfo.InvariantCulture, $"{name}_{i:0000}.png")), SyntheticIdentities.Draw(p, i, 16, 11));
            }
        }

        var lines = new List<string> { string.Create(CultureInfo.InvariantCulture, $"10\t{perFold}") };
        for (int fold = 0; fold < 10; fold++)
        {
            for (int k = 0; k < perFold; k++)
            {
                int p = ((fold * perFold) + k) % people;
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"P_{p:00}\t1\t{2 + ((fold + k) % (imagesEach - 1))}"));
            }

            for (int k = 0; k < perFold; k++)
            {
                int a = ((fold * perFold) + k) % people;
                int b = (a + 1 + k) % people;
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"P_{a:00}\t{1 + (k % imagesEach)}\tP_{b:00}\t{1 + (fold % imagesEach)}"));
            }
        }

        string path = Path.Combine(root, "pairs.txt");
        File.WriteAllLines(path, lines);
        return path;
    }

    /// <summary>Each image's mean per channel: the synthetic identities differ in colour, so this separates them.</summary>
    private static Embeddings MeanColour(IImageCollection images)
    {
        using var scope = NewDisposeScope();
        var means = images.Slice(0, images.Count).mean([2, 3]).contiguous();
        return new Embeddings(means.data<float>().ToArray(), (int)means.shape[1]);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
