using System.Diagnostics;
using System.Text.Json;

namespace Leap.Training.Tests.Chaos;

/// <summary>
/// `leap launch` under kill -9: a worker or the coordinator dies mid-run after a checkpoint was committed; the launcher
/// restarts it, every rank resumes from the last committed checkpoint, and the run ends with the weights of an
/// uninterrupted run. Real processes throughout (`./leap test chaos`).
/// </summary>
[Trait("Category", "Chaos")]
public sealed class FaultToleranceTests(UninterruptedRun reference) : IClassFixture<UninterruptedRun>
{
    private static readonly TimeSpan CommitTimeout = TimeSpan.FromMinutes(2);
    private const double Tolerance = 1e-5;

    [Fact]
    public async Task Launch_WorkerKilledAfterACommittedCheckpoint_RestartsResumesAndEndsWithTheUninterruptedWeights()
    {
        string output = Path.Combine(reference.Root, "worker-killed");
        using var run = RunningLeap.Start([.. reference.LaunchArguments(output)]);
        await run.WaitForLineAsync(@"Checkpoint of step \d+ committed", CommitTimeout);

        int victim = run.LatestPid("rank 1");
        Process.GetProcessById(victim).Kill();

        int code = run.WaitForExit(UninterruptedRun.RunTimeout);
        Assert.True(code == 0, $"exit {code}\n{run.Output}");
        Assert.Matches(@"launch: rank 1 exited with code \d+; restarting it", run.Output);
        Assert.NotEqual(victim, run.LatestPid("rank 1"));
        AssertResumedAndCompleted(run.Output, output);
    }

    [Fact]
    public async Task Launch_CoordinatorKilledAfterACommittedCheckpoint_RestartsAndTheJobCompletesWithTheUninterruptedWeights()
    {
        string output = Path.Combine(reference.Root, "coordinator-killed");
        using var run = RunningLeap.Start([.. reference.LaunchArguments(output)]);
        await run.WaitForLineAsync(@"Checkpoint of step \d+ committed", CommitTimeout);

        int victim = run.LatestPid("coordinator");
        Process.GetProcessById(victim).Kill();

        int code = run.WaitForExit(UninterruptedRun.RunTimeout);
        Assert.True(code == 0, $"exit {code}\n{run.Output}");
        Assert.Matches(@"launch: coordinator exited with code \d+; restarting it", run.Output);
        Assert.NotEqual(victim, run.LatestPid("coordinator"));
        AssertResumedAndCompleted(run.Output, output);
    }

    private void AssertResumedAndCompleted(string log, string output)
    {
        Assert.Contains("Resumed from committed checkpoint", log, StringComparison.Ordinal);
        using var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "coordinator", "leap.coordinator.json")));
        Assert.True(state.RootElement.GetProperty("lastGeneration").GetInt64() >= 2, $"the job never formed a second generation:\n{log}");
        Assert.Equal(UninterruptedRun.Steps, state.RootElement.GetProperty("latestCommitted").GetProperty("step").GetInt64());
        double difference = CheckpointWeights.MaxDifference(reference.Overrides, reference.Output, output, UninterruptedRun.Workers, UninterruptedRun.Steps);
        Assert.True(difference <= Tolerance, $"final weights differ from the uninterrupted run's by {difference:G3} (allowed {Tolerance:G1})");
    }
}
