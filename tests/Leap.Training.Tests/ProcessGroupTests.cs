using Leap.Launch;

namespace Leap.Training.Tests;

/// <summary>The launcher's supervision with real `leap` child processes (cheap commands that fail at once).</summary>
public sealed class ProcessGroupTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-group-" + Guid.NewGuid().ToString("N"));

    /// <summary>`leap launch` on a corrupt dataset (an IDX label file that is not one): exits 1 before starting anything.</summary>
    private string[] FailingChild
    {
        get
        {
            string data = Path.Combine(_root, "corrupt-idx");
            Directory.CreateDirectory(data);
            foreach (string name in new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" })
            {
                File.WriteAllBytes(Path.Combine(data, name), [1, 2, 3]);
            }

            return ["launch", "--workers", "2", "--set", $"Data:Path={data}", "--set", $"OutputDirectory={_root}"];
        }
    }

    [Fact]
    public async Task WaitAsync_ChildKeepsFailing_IsRestartedMaxRestartsTimesThenReportsItsExitCode()
    {
        using var group = new ProcessGroup(new RestartPolicy(MaxRestarts: 2));
        var child = group.Start("flaky", FailingChild, required: true);

        var (code, failed) = await group.WaitAsync(CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal((1, "flaky"), (code, failed));
        Assert.Equal(2, child.Restarts);
    }

    [Fact]
    public async Task WaitAsync_InvalidConfiguration_IsNotRestarted()
    {
        using var group = new ProcessGroup(new RestartPolicy(MaxRestarts: 3));
        var child = group.Start("misconfigured", ["launch", "--workers", "0"], required: true);

        var (code, failed) = await group.WaitAsync(CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal((2, "misconfigured"), (code, failed));
        Assert.Equal(0, child.Restarts);
    }

    [Theory]
    [InlineData(1, 0, true)]
    [InlineData(3, 0, true)]
    [InlineData(137, 1, true)]
    [InlineData(137, 2, false)]
    [InlineData(2, 0, false)]
    [InlineData(130, 0, false)]
    [InlineData(0, 0, false)]
    public void Allows_ExitCodeAndRestartsSoFar_RestartsOnlyFailuresWithinTheBudget(int exitCode, int restartsSoFar, bool expected) =>
        Assert.Equal(expected, new RestartPolicy(MaxRestarts: 2).Allows(exitCode, restartsSoFar));

    [Fact]
    public void Delay_GrowsFromAQuarterSecondAndIsCappedAtFourSeconds()
    {
        Assert.Equal([0.25, 0.5, 1, 2, 4, 4], Enumerable.Range(1, 6).Select(r => RestartPolicy.Delay(r).TotalSeconds));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
