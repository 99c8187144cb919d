namespace Leap.Cli.Launch;

/// <summary>
/// Child processes that live and die together: <see cref="WaitAsync"/> returns 0 when every required member exited 0.
/// A member that fails is started again while its <see cref="RestartPolicy"/> allows (each restart is logged);
/// otherwise the group kills the others and reports the failure. Cancellation kills everything.
/// </summary>
public sealed class ProcessGroup(RestartPolicy restarts) : IDisposable
{
    private readonly List<SupervisedProcess> _members = [];

    public ProcessGroup()
        : this(RestartPolicy.Never)
    {
    }

    public IReadOnlyList<SupervisedProcess> Members => _members;

    /// <summary>Starts a `leap` subcommand as a member; <paramref name="required"/> members must finish, others are services.</summary>
    public SupervisedProcess Start(string name, IReadOnlyList<string> args, bool required,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var member = new SupervisedProcess(name, args, required, environment);
        _members.Add(member);
        return member;
    }

    public async Task<(int ExitCode, string? Failed)> WaitAsync(CancellationToken cancellation)
    {
        var running = _members.ToDictionary(m => m.Current.WaitForExitAsync(CancellationToken.None), m => m);
        int remaining = _members.Count(m => m.Required);
        var cancelled = Task.Delay(Timeout.Infinite, cancellation);
        try
        {
            while (remaining > 0)
            {
                var finished = await Task.WhenAny(running.Keys.Append(cancelled)).ConfigureAwait(false);
                if (finished == cancelled)
                {
                    return (ExitCode.Interrupted, null);
                }
                var member = running[finished];
                running.Remove(finished);
                int code = member.Current.ExitCode;
                if (code == ExitCode.Completed && member.Required)
                {
                    remaining--;
                    continue;
                }
                if (code == ExitCode.Completed)
                {
                    // A service exited on its own while workers still run: that is a failure too.
                    return (ExitCode.Failed, member.Name);
                }
                if (!restarts.Allows(code, member.Restarts))
                {
                    return (code, member.Name);
                }
                var delay = RestartPolicy.Delay(member.Restarts + 1);
                Console.Error.WriteLine(
                    $"launch: {member.Name} exited with code {code}; restarting it in {delay.TotalSeconds:0.##} s (restart {member.Restarts + 1} of {restarts.MaxRestarts})");
                await Task.Delay(delay, cancellation).ConfigureAwait(false);
                member.Restart();
                running.Add(member.Current.WaitForExitAsync(CancellationToken.None), member);
            }
            return (ExitCode.Completed, null);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return (ExitCode.Interrupted, null);
        }
        finally
        {
            KillAll();
        }
    }

    public void KillAll()
    {
        foreach (var m in _members)
        {
            m.Current.Kill();
        }
    }

    public void Dispose()
    {
        foreach (var m in _members)
        {
            m.Dispose();
        }
    }
}
