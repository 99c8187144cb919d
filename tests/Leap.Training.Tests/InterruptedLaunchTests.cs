using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Leap.Training.Tests;

/// <summary>
/// #13 finding 13 for `leap launch`: Ctrl-C in a terminal (SIGINT to the launcher and every child), or SIGINT to the
/// launcher alone, ends a distributed run with both ranks' checkpoints of the same step committed by the coordinator
/// and exit code 130; rerunning the same command resumes from that step. Before, the launcher killed everything at the
/// signal and the ranks, stopping at different steps, had nothing the coordinator could commit.
/// </summary>
public sealed class InterruptedLaunchTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-launch-interrupt-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData(SignalledLeap.Target.ProcessGroup, true)]
    [InlineData(SignalledLeap.Target.Process, false)]
    public async Task Launch_Interrupted_CommitsOneStepOnEveryRankExits130AndResumesFromIt(SignalledLeap.Target target, bool resume)
    {
        string data = Path.Combine(_root, "idx");
        IdxFixture.Write(data, [200, 200, 200, 200, 200, 200], testPerClass: 20, seed: 5);
        string output = Path.Combine(_root, "run");
        string[] Arguments(long steps) =>
        [
            "launch", "--workers", "2",
            "--set", $"Data:Path={data}", "--set", "Data:HeadClasses=3", "--set", "Data:SamplesPerTailClass=8",
            "--set", $"Steps={steps.ToString(CultureInfo.InvariantCulture)}", "--set", "BatchSize=32", "--set", "Leap:CloudStartIteration=5",
            "--set", "LogEverySteps=10", "--set", "Checkpoint:EverySteps=0", "--set", "Evaluation:Pairs=200",
            "--set", "Threads=1", "--set", $"OutputDirectory={output}",
        ];

        var (code, log) = await SignalledLeap.RunAsync(Timeout, line => line.StartsWith("[rank 0]", StringComparison.Ordinal) && line.Contains(" step 30 ", StringComparison.Ordinal),
            SignalledLeap.SigInt, target, Arguments(1_000_000));

        Assert.True(code == 130, $"exit {code}\n{log}");
        long committed = CommittedStep(output);
        Assert.True(committed >= 30, $"committed step {committed} is older than the step 30 logged before the signal\n{log}");
        foreach (int rank in new[] { 0, 1 })
        {
            string checkpoint = Path.Combine(output, "checkpoints", $"rank-{rank}-of-2", $"step-{committed:D9}");
            Assert.True(File.Exists(Path.Combine(checkpoint, "meta.json")), $"rank {rank} has no checkpoint of the committed step {committed}\n{log}");
            Assert.Contains($"[rank {rank}] ", log, StringComparison.Ordinal);
            Assert.Matches(new Regex($@"\[rank {rank}\] .*Interrupted at step {committed};"), log);
        }
        Assert.Contains("the workers stopped after the same step and its checkpoint was committed", log, StringComparison.Ordinal);
        Assert.DoesNotContain("restarting it", log, StringComparison.Ordinal);

        if (resume)
        {
            var (again, stdout, stderr) = LeapProcess.Run(Timeout, Arguments(committed + 10));
            Assert.True(again == 0, $"exit {again}\n{stdout}\n{stderr}");
            Assert.Matches(new Regex($@"\[rank 0\] .*Resumed from committed checkpoint .*\(step {committed}\)"), stdout);
            Assert.Matches(new Regex($@"\[rank 1\] .*Resumed from committed checkpoint .*\(step {committed}\)"), stdout);
            Assert.Equal(committed + 10, CommittedStep(output));
            using var evaluation = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "evaluation.json")));
            Assert.Equal(committed + 10, evaluation.RootElement.GetProperty("Step").GetInt64());
        }
    }

    private static long CommittedStep(string output)
    {
        using var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "coordinator", "leap.coordinator.json")));
        return state.RootElement.GetProperty("latestCommitted").GetProperty("step").GetInt64();
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
