namespace Leap.Cli;

/// <summary>
/// How long the CLI waits after Ctrl-C or SIGTERM for the running command to stop cleanly (finish the step, write the
/// checkpoint, stop its children) before the process is ended anyway. Kubernetes' default termination grace period
/// is 30 s, so a pod's worker gets its SIGKILL first; on a terminal a second Ctrl-C is not needed.
/// </summary>
internal static class InterruptGracePeriod
{
    public static readonly TimeSpan Value = TimeSpan.FromMinutes(2);
}
