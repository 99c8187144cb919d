namespace Leap.Cli.Distributed;

/// <summary>
/// How a worker process ends. A supervisor (`leap launch`, a Kubernetes Job) restarts <see cref="Restartable"/> exits:
/// the worker's generation ended under it (a peer died, the coordinator restarted) and a fresh process re-registers
/// and resumes from the last committed checkpoint. <see cref="InvalidConfiguration"/> is never worth a restart.
/// </summary>
public static class WorkerExitCode
{
    public const int Completed = 0;
    public const int Failed = 1;
    public const int InvalidConfiguration = 2;
    public const int Restartable = 3;
    public const int Interrupted = 130;
}
