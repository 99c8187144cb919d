using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Leap.Training.Tests.Chaos;

/// <summary>
/// A worker lost for good (#16): kill -9 of one of 3 workers with no restarts left ends the launch; the same command
/// with 2 workers is refused (the committed checkpoint is of 3) until the resize is asked for with --reshard; then the
/// 2 workers re-shard the committed step and finish the run, and 1 worker re-shards that and trains on. Real processes
/// throughout (`./leap test chaos`).
/// </summary>
[Trait("Category", "Chaos")]
public sealed class LostWorkerTests : IDisposable
{
    private const int FirstSteps = 60;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(5);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-lost-" + Guid.NewGuid().ToString("N"));

    private string Output => Path.Combine(_root, "run");

    private IEnumerable<string> Launch(int workers, long steps, params string[] flags)
    {
        string[] overrides =
        [
            $"Data:Path={Path.Combine(_root, "idx")}", "Data:HeadClasses=3", "Data:SamplesPerTailClass=8",
            $"Steps={steps.ToString(CultureInfo.InvariantCulture)}", "BatchSize=24", "Leap:CloudStartIteration=5",
            "Checkpoint:EverySteps=10", "Evaluation:Pairs=100", "Threads=1", $"OutputDirectory={Output}",
        ];
        return ["launch", "--workers", workers.ToString(CultureInfo.InvariantCulture), "--no-centre-service", "--max-restarts", "0", .. flags,
            .. overrides.SelectMany(o => new[] { "--set", o })];
    }

    [Fact]
    public async Task Launch_WorkerKilledForGood_ContinuesWithOneFewerOnlyWhenAskedAndThenWithOne()
    {
        IdxFixture.Write(Path.Combine(_root, "idx"), [200, 200, 200, 200, 200, 200], testPerClass: 20, seed: 9);
        using (var three = RunningLeap.Start([.. Launch(3, FirstSteps)]))
        {
            await three.WaitForLineAsync(@"Checkpoint of step \d+ committed", TimeSpan.FromMinutes(3));
            Process.GetProcessById(three.LatestPid("rank 2")).Kill();
            int lost = three.WaitForExit(RunTimeout);
            Assert.True(lost != 0, $"the launch went on without rank 2:\n{three.Output}");
        }
        var (committed, committedWorld) = Committed();
        Assert.Equal(3, committedWorld);
        Assert.InRange(committed, 10, FirstSteps - 1);

        var (refused, _, refusal) = LeapProcess.Run(RunTimeout, [.. Launch(2, FirstSteps)]);
        Assert.Equal(2, refused);
        Assert.Contains($"last committed step {committed} with 3 workers", refusal, StringComparison.Ordinal);
        Assert.Contains("--reshard", refusal, StringComparison.Ordinal);

        var (code, stdout, stderr) = LeapProcess.Run(RunTimeout, [.. Launch(2, FirstSteps, "--reshard")]);
        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains($"Re-sharded committed step {committed} of 3 workers onto 2", stderr, StringComparison.Ordinal);
        Assert.Equal((FirstSteps, 2), Committed());
        Assert.Equal(FirstSteps, EvaluatedStep());
        // Steps after the committed one are trained once, by the 2 workers (metrics.jsonl is appended by rank 0).
        int resumed = FirstSteps - (int)committed;
        Assert.Equal(Enumerable.Range((int)committed + 1, resumed).Select(s => (long)s), TrainSteps().TakeLast(resumed));

        (code, stdout, stderr) = LeapProcess.Run(RunTimeout, [.. Launch(1, FirstSteps + 20, "--reshard")]);
        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains($"Re-sharded committed step {FirstSteps} of 2 workers onto 1", stderr, StringComparison.Ordinal);
        Assert.Equal((FirstSteps + 20, 1), Committed());
        Assert.Equal(FirstSteps + 20, EvaluatedStep());

        // leap eval finds the 1-worker checkpoints among the rank folders of 3 and 2 and reproduces the launch's evaluation.
        string json = Path.Combine(_root, "eval.json");
        var (evalCode, evalOut, evalError) = LeapProcess.Run(RunTimeout, "eval", "--run", Output, "--json", json);
        Assert.True(evalCode == 0, $"leap eval exit {evalCode}\n{evalOut}\n{evalError}");
        using var evaluated = JsonDocument.Parse(File.ReadAllText(json));
        using var launched = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, "evaluation.json")));
        Assert.Equal(FirstSteps + 20, evaluated.RootElement.GetProperty("Step").GetInt64());
        Assert.Equal(launched.RootElement.GetProperty("Classification").GetProperty("OverallAccuracy").GetDouble(),
            evaluated.RootElement.GetProperty("Classification").GetProperty("OverallAccuracy").GetDouble(), 9);
    }

    private (long Step, int WorldSize) Committed()
    {
        using var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, "coordinator", "leap.coordinator.json")));
        var committed = state.RootElement.GetProperty("latestCommitted");
        return (committed.GetProperty("step").GetInt64(), committed.GetProperty("worldSize").GetInt32());
    }

    private long EvaluatedStep()
    {
        using var evaluation = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, "evaluation.json")));
        return evaluation.RootElement.GetProperty("Step").GetInt64();
    }

    private List<long> TrainSteps() => File.ReadLines(Path.Combine(Output, "metrics.jsonl"))
        .Select(l => JsonDocument.Parse(l).RootElement)
        .Where(r => r.GetProperty("kind").GetString() == "train")
        .Select(r => r.GetProperty("step").GetInt64())
        .ToList();

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
