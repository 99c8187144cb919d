namespace Leap.Training.Tests.Quality;

/// <summary>`leap bench quality` as a real process: budget changes are refused unless they run as a probe.</summary>
public sealed class BenchQualityCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Theory]
    [InlineData("--random-erasing", "0.5", "run them as a probe (--probe NAME)")]
    [InlineData("--reid-height", "256", "run them as a probe (--probe NAME)")]
    [InlineData("--face-pad-crop", "8", "run them as a probe (--probe NAME)")]
    public void BudgetChange_WithoutProbe_FailsBeforeTouchingTheGrid(string option, string value, string message)
    {
        string grid = Path.Combine(Path.GetTempPath(), "leap-grid-" + Guid.NewGuid().ToString("N"));

        var (code, _, error) = LeapProcess.Run(Timeout, "bench", "quality", "--data", grid, "--protocol", "market", option, value, "--out", grid);

        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(grid));
    }

    [Theory]
    [InlineData("--random-erasing", "1.5", "--random-erasing 1.5: allowed [0, 1] with at most 3 decimals.")]
    [InlineData("--random-erasing", "0.12345", "--random-erasing 0.12345: allowed [0, 1] with at most 3 decimals.")]
    [InlineData("--reid-width", "8", "--reid-width 8: allowed [16, 1024] pixels.")]
    [InlineData("--face-pad-crop", "-1", "--face-pad-crop -1: allowed [0, 56] pixels.")]
    public void BudgetChange_OutOfRange_NamesTheOptionAndItsRange(string option, string value, string message)
    {
        var (code, _, error) = LeapProcess.Run(Timeout, "bench", "quality", "--protocol", "market", "--probe", "p", option, value);

        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--protocol", "market")]
    [InlineData("--grid", "v1")]
    public void FacePadCrop_OutsideTheV2GridsLfwCells_IsRefusedNotIgnored(string option, string value)
    {
        var (code, _, error) = LeapProcess.Run(Timeout, "bench", "quality", option, value, "--probe", "p", "--face-pad-crop", "8");

        Assert.Equal(2, code);
        Assert.Contains("--face-pad-crop changes the v2 grid's LFW cells only", error, StringComparison.Ordinal);
    }
}
