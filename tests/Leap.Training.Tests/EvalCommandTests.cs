using System.Text.Json;

namespace Leap.Training.Tests;

/// <summary>`leap eval` as a real process on runs trained by `leap train` in <see cref="TinyRunsFixture"/>.</summary>
public sealed class EvalCommandTests(TinyRunsFixture runs) : IClassFixture<TinyRunsFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private static JsonElement Metrics(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return json.RootElement.Clone();
    }

    [Fact]
    public void Eval_LatestCheckpoint_ReproducesTheEndOfTrainingEvaluation()
    {
        string json = Path.Combine(runs.Root, "eval-latest.json");

        var (code, stdout, error) = LeapProcess.Run(Timeout, "eval", "--run", runs.Leap, "--json", json);

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{error}");
        Assert.Contains("verification 10-fold accuracy", stdout, StringComparison.Ordinal);
        Assert.Contains("angular spread, tail classes", stdout, StringComparison.Ordinal);
        var evaluated = Metrics(json);
        var trained = Metrics(Path.Combine(runs.Leap, "evaluation.json"));
        Assert.Equal(TinyRunsFixture.Steps, evaluated.GetProperty("Step").GetInt64());
        Assert.Equal(trained.GetProperty("TestImages").GetInt32(), evaluated.GetProperty("TestImages").GetInt32());
        foreach (var (section, key) in new[]
        {
            ("Classification", "HeadMeanClassAccuracy"), ("Classification", "TailMeanClassAccuracy"), ("Classification", "OverallAccuracy"),
        })
        {
            Assert.Equal(trained.GetProperty(section).GetProperty(key).GetDouble(), evaluated.GetProperty(section).GetProperty(key).GetDouble(), 12);
        }
        Assert.Equal(trained.GetProperty("Verification").GetProperty("Accuracy").GetProperty("Mean").GetDouble(),
            evaluated.GetProperty("Verification").GetProperty("Accuracy").GetProperty("Mean").GetDouble(), 12);
        foreach (string group in new[] { "Head", "Tail" })
        {
            var expected = trained.GetProperty("AngularSpread").GetProperty(group);
            var actual = evaluated.GetProperty("AngularSpread").GetProperty(group);
            Assert.Equal(expected.GetProperty("Mean").GetDouble(), actual.GetProperty("Mean").GetDouble(), 6);
            Assert.Equal(expected.GetProperty("HalfWidth95").GetDouble(), actual.GetProperty("HalfWidth95").GetDouble(), 6);
            Assert.Equal(3, actual.GetProperty("ClassCount").GetInt32());
        }
    }

    [Fact]
    public void Eval_EarlierStep_EvaluatesThatCheckpointAndWritesDefaultJson()
    {
        var (code, stdout, error) = LeapProcess.Run(Timeout, "eval", "--run", runs.Baseline, "--checkpoint", "30");

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{error}");
        string json = Path.Combine(runs.Baseline, "evaluation-step-30.json");
        Assert.Equal(30, Metrics(json).GetProperty("Step").GetInt64());
        Assert.Contains("checkpoint of step 30", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_StepWithoutCheckpoint_ExitsOneNamingTheStep()
    {
        var (code, _, error) = LeapProcess.Run(Timeout, "eval", "--run", runs.Baseline, "--checkpoint", "45");

        Assert.Equal(1, code);
        Assert.Contains("No complete checkpoint of step 45", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_CheckpointNeitherLatestNorStep_ExitsTwoNamingTheOption()
    {
        var (code, _, error) = LeapProcess.Run(Timeout, "eval", "--run", runs.Baseline, "--checkpoint", "newest");

        Assert.Equal(2, code);
        Assert.Contains("--checkpoint", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_DirectoryWithoutConfig_ExitsTwoAskingForConfig()
    {
        string empty = Path.Combine(runs.Root, "not-a-run");
        Directory.CreateDirectory(empty);

        var (code, _, error) = LeapProcess.Run(Timeout, "eval", "--run", empty);

        Assert.Equal(2, code);
        Assert.Contains("config.json", error, StringComparison.Ordinal);
        Assert.Contains("--config", error, StringComparison.Ordinal);
    }
}
