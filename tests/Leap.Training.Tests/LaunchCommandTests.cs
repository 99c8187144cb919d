using System.Text.Json;

namespace Leap.Training.Tests;

/// <summary>`leap launch` as a real process tree: coordinator + workers over loopback gRPC.</summary>
public sealed class LaunchCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(6);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-launch-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Launch_TwoWorkersOnLongTailedIdxSet_CompletesCommitsCheckpointsAndEvaluates()
    {
        string data = Path.Combine(_root, "idx");
        IdxFixture.Write(data, [200, 200, 200, 200, 200, 200], testPerClass: 30, seed: 9);
        string output = Path.Combine(_root, "run");

        var (code, stdout, error) = LeapProcess.Run(Timeout, "launch", "--workers", "2",
            "--set", $"Data:Path={data}", "--set", "Data:HeadClasses=3", "--set", "Data:SamplesPerTailClass=8",
            "--set", "Steps=40", "--set", "BatchSize=32", "--set", "Leap:CloudStartIteration=5", "--set", "Checkpoint:EverySteps=20",
            "--set", "Evaluation:Pairs=300", "--set", "Threads=1", "--set", $"OutputDirectory={output}");

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{error}");
        Assert.Contains("[rank 0] ", stdout, StringComparison.Ordinal);
        Assert.Contains("[rank 1] ", stdout, StringComparison.Ordinal);
        Assert.Contains("[coordinator] ", stdout, StringComparison.Ordinal);
        // Threads=1 was set by the user: it wins over the launcher's share of the cores.
        Assert.Equal(1, WorkerLogThreads.Read(Path.Combine(output, "worker-rank0.log")));
        Assert.Equal(1, WorkerLogThreads.Read(Path.Combine(output, "worker-rank1.log")));
        using var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "coordinator", "leap.coordinator.json")));
        Assert.Equal(40, state.RootElement.GetProperty("latestCommitted").GetProperty("step").GetInt64());
        Assert.True(File.Exists(Path.Combine(output, "checkpoints", "rank-0-of-2", "step-000000040", "meta.json")));
        Assert.True(File.Exists(Path.Combine(output, "checkpoints", "rank-1-of-2", "step-000000040", "meta.json")));
        using var evaluation = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "evaluation.json")));
        Assert.Equal(40, evaluation.RootElement.GetProperty("Step").GetInt64());
        // #13 finding 14: a launch writes metrics.jsonl (rank 0 only), so `leap report` draws its curves: steps 1..40
        // once each, and the final evaluation.
        var records = File.ReadLines(Path.Combine(output, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i),
            records.Where(r => r.GetProperty("kind").GetString() == "train").Select(r => r.GetProperty("step").GetInt64()));
        Assert.Contains(records, r => r.GetProperty("kind").GetString() == "validation" && r.GetProperty("step").GetInt64() == 40);

        // leap eval reassembles the sharded classifier from both ranks' checkpoints and reproduces the launch's own
        // (distributed) end-of-training evaluation.
        string json = Path.Combine(_root, "eval.json");
        var (evalCode, evalOut, evalError) = LeapProcess.Run(Timeout, "eval", "--run", output, "--json", json);
        Assert.True(evalCode == 0, $"leap eval exit {evalCode}\n{evalOut}\n{evalError}");
        using var reopened = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement trained = evaluation.RootElement;
        JsonElement evaluated = reopened.RootElement;
        Assert.Equal(40, evaluated.GetProperty("Step").GetInt64());
        foreach (string key in new[] { "HeadMeanClassAccuracy", "TailMeanClassAccuracy", "OverallAccuracy" })
        {
            Assert.Equal(trained.GetProperty("Classification").GetProperty(key).GetDouble(), evaluated.GetProperty("Classification").GetProperty(key).GetDouble(), 9);
        }

        Assert.Equal(trained.GetProperty("Verification").GetProperty("Accuracy").GetProperty("Mean").GetDouble(),
            evaluated.GetProperty("Verification").GetProperty("Accuracy").GetProperty("Mean").GetDouble(), 9);
        Assert.Equal(trained.GetProperty("AngularSpread").GetProperty("Tail").GetProperty("Mean").GetDouble(),
            evaluated.GetProperty("AngularSpread").GetProperty("Tail").GetProperty("Mean").GetDouble(), 5);
    }

    [Fact]
    public void Launch_MissingData_ExitsWithConfigurationErrorWithoutStartingProcesses()
    {
        var (code, _, error) = LeapProcess.Run(TimeSpan.FromMinutes(1), "launch", "--workers", "2",
            "--set", $"Data:Path={Path.Combine(_root, "nowhere")}", "--set", $"OutputDirectory={_root}");

        Assert.Equal(2, code);
        Assert.Contains("nowhere", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Launch_FolderOfFacesAsIdx_NamesTheFormatToUse()
    {
        string faces = Path.Combine(_root, "faces");
        Leap.Data.Synthetic.SyntheticIdentities.Write(faces, classes: 3, maxImages: 3, minImages: 2, size: 16, seed: 1);

        var (code, _, error) = LeapProcess.Run(TimeSpan.FromMinutes(1), "launch", "--workers", "2",
            "--set", $"Data:Path={faces}", "--set", $"OutputDirectory={_root}");

        Assert.Equal(2, code);
        Assert.Contains("Data:Format = ImageFolder", error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
