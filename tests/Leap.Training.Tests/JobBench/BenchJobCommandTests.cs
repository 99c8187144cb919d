namespace Leap.Training.Tests.JobBench;

/// <summary>`leap bench job` refuses invalid options before it runs anything.</summary>
public sealed class BenchJobCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Theory]
    [InlineData("9", "--workers = 9 is out of range; allowed [1, 8].")]
    [InlineData("0", "--workers = 0 is out of range; allowed [1, 8].")]
    public void BenchJob_WorkersOutOfRange_ExitsTwoNamingTheOption(string workers, string message)
    {
        var (code, output, error) = LeapProcess.Run(Timeout, "bench", "job", "--workers", workers, "--steps", "3", "--repeats", "1");

        Assert.True(code == 2, $"exit {code}\n{output}\n{error}");
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain("img/s", output, StringComparison.Ordinal);
    }

    [Fact]
    public void BenchJob_StepsAndRepeatsOutOfRange_ReportsEveryError()
    {
        var (code, _, error) = LeapProcess.Run(Timeout, "bench", "job", "--steps", "2", "--repeats", "0");

        Assert.Equal(2, code);
        Assert.Contains("--steps = 2 is out of range; allowed [3, 100000].", error, StringComparison.Ordinal);
        Assert.Contains("--repeats = 0 is out of range; allowed [1, 100].", error, StringComparison.Ordinal);
    }

    [Fact]
    public void BenchJob_OutWithTwoWorkerCounts_ExitsTwo()
    {
        var (code, _, error) = LeapProcess.Run(Timeout, "bench", "job", "--workers", "2", "4", "--out", Path.Combine(Path.GetTempPath(), "job.json"));

        Assert.Equal(2, code);
        Assert.Contains("--out names one file; give a single --workers value with it.", error, StringComparison.Ordinal);
    }
}
