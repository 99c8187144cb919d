using System.Diagnostics;

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
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task Train_Signalled_WritesTheCheckpointOfTheLastStepAndExits130(string signal)
    {
        string data = Path.Combine(_root, "idx");
        IdxFixture.Write(data, [200, 200, 200, 200], testPerClass: 20, seed: 3);
        string output = Path.Combine(_root, "run");
        // `env --default-signal` undoes an inherited "ignore SIGINT" (background shells and CI runners start children
        // that way), so the signal reaches the CLI as it would from a terminal.
        var info = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in (string[])["--default-signal=INT,TERM", "dotnet", Path.Combine(AppContext.BaseDirectory, "leap.dll"), "train", "--no-progress",
                     "--set", $"Data:Path={data}", "--set", "Data:HeadClasses=2", "--set", "Data:SamplesPerTailClass=8",
                     "--set", "Steps=1000000", "--set", "BatchSize=32", "--set", "LogEverySteps=10", "--set", "Checkpoint:EverySteps=0",
                     "--set", "Threads=1", "--set", $"OutputDirectory={output}"])
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var lines = new System.Text.StringBuilder();
        var reachedStep30 = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Keep draining stdout the whole time: a full pipe would block the CLI's logging and so its training loop.
        var stdout = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (lines)
                {
                    lines.AppendLine(line);
                }
                if (line.Contains("step 30 ", StringComparison.Ordinal))
                {
                    reachedStep30.TrySetResult();
                }
            }
        });
        try
        {
            await reachedStep30.Task.WaitAsync(Timeout);
            Assert.False(process.HasExited, $"leap train ended before it was signalled:\n{lines}");
            Assert.Equal(0, Signal(process.Id, signal == "INT" ? SigInt : SigTerm));
            await process.WaitForExitAsync().WaitAsync(Timeout);
            await stdout.WaitAsync(Timeout);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        string log = lines + await stderr; // warnings go to stderr

        Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}\n{log}");
        var checkpoints = Directory.GetDirectories(Path.Combine(output, "checkpoints")).Select(Path.GetFileName).ToArray();
        var step = Assert.Single(checkpoints);
        Assert.Matches(@"^step-\d+$", step);
        long saved = long.Parse(step!["step-".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(saved >= 30, $"checkpoint {step} is older than the step 30 logged before the signal");
        Assert.Contains($"Interrupted at step {saved}; checkpoint written", log, StringComparison.Ordinal);
    }

    private const int SigInt = 2;
    private const int SigTerm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Signal(int pid, int signal);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
