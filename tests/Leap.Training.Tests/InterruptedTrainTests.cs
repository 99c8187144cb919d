namespace Leap.Training.Tests;

/// <summary>
/// #13 finding 13: Ctrl-C (SIGINT) in a terminal, or SIGTERM from Kubernetes, ends `leap train` after the running step
/// with a checkpoint of that step and exit code 130, as the README promises; rerunning resumes from it.
/// </summary>
public sealed class InterruptedTrainTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-interrupt-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData(SignalledLeap.SigInt)]
    [InlineData(SignalledLeap.SigTerm)]
    public async Task Train_Signalled_WritesTheCheckpointOfTheLastStepAndExits130(int signal)
    {
        string data = Path.Combine(_root, "idx");
        IdxFixture.Write(data, [200, 200, 200, 200], testPerClass: 20, seed: 3);
        string output = Path.Combine(_root, "run");

        var (code, log) = await SignalledLeap.RunAsync(Timeout, line => line.Contains("step 30 ", StringComparison.Ordinal), signal, SignalledLeap.Target.Process,
            "train", "--no-progress",
            "--set", $"Data:Path={data}", "--set", "Data:HeadClasses=2", "--set", "Data:SamplesPerTailClass=8",
            "--set", "Steps=1000000", "--set", "BatchSize=32", "--set", "LogEverySteps=10", "--set", "Checkpoint:EverySteps=0",
            "--set", "Threads=1", "--set", $"OutputDirectory={output}");

        Assert.True(code == 130, $"exit {code}\n{log}");
        var checkpoints = Directory.GetDirectories(Path.Combine(output, "checkpoints")).Select(Path.GetFileName).ToArray();
        var step = Assert.Single(checkpoints);
        Assert.Matches(@"^step-\d+$", step);
        long saved = long.Parse(step!["step-".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(saved >= 30, $"checkpoint {step} is older than the step 30 logged before the signal");
        Assert.Contains($"Interrupted at step {saved}; checkpoint written", log, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
