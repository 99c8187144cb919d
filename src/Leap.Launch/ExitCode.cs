namespace Leap.Launch;

/// <summary>
/// How every `leap` command ends (the process exit code): 0 done, 1 failed, 2 invalid configuration or usage (never
/// worth a retry), 3 restartable, 130 interrupted (Ctrl-C / SIGTERM). For a worker process: A supervisor (`leap launch`, a Kubernetes Job) restarts <see cref="Restartable"/> exits:
/// the worker's generation ended under it (a peer died, the coordinator restarted) and a fresh process re-registers
/// and resumes from the last committed checkpoint. <see cref="InvalidConfiguration"/> is never worth a restart.
/// </summary>
public static class ExitCode
{
    public const int Completed = 0;
    public const int Failed = 1;
    public const int InvalidConfiguration = 2;
    public const int Restartable = 3;
    public const int Interrupted = 130;
}
