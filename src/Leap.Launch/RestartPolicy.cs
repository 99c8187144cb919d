namespace Leap.Launch;

/// <summary>
/// When `leap launch` starts a failed child again: any non-zero exit except invalid configuration (2, a restart cannot
/// help) and interruption (130), at most <see cref="MaxRestarts"/> times per child, after a short growing delay.
/// </summary>
public sealed record RestartPolicy(int MaxRestarts)
{
    public static RestartPolicy Never { get; } = new(0);

    public bool Allows(int exitCode, int restartsSoFar) =>
        exitCode is not (ExitCode.Completed or ExitCode.InvalidConfiguration or ExitCode.Interrupted) && restartsSoFar < MaxRestarts;

    /// <summary>0.25 s before the first restart, doubling up to 4 s: a crash loop does not spin.</summary>
    public static TimeSpan Delay(int restart) => TimeSpan.FromMilliseconds(250 * Math.Pow(2, Math.Min(Math.Max(restart - 1, 0), 4)));
}
