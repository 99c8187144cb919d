namespace Leap.Launch;

/// <summary>
/// Child processes that live and die together: <see cref="WaitAsync"/> returns 0 when every required member exited 0.
/// A member that fails is started again while its <see cref="RestartPolicy"/> allows (each restart is logged);
/// otherwise the group kills the others and reports the failure. Cancellation (Ctrl-C) stops the group in order: the
/// required members (workers) are asked to stop and given <paramref name="stopGrace"/> to finish their step and report
/// its checkpoint, then the services are asked to stop, then whatever still runs is killed.
/// </summary>
public sealed class ProcessGroup(RestartPolicy restarts, TimeSpan stopGrace) : IDisposable
{
    /// <summary>How long services get after SIGTERM to stop their hosts before they are killed.</summary>
    private static readonly TimeSpan ServiceStopGrace = TimeSpan.FromSeconds(10);

    private readonly List<SupervisedProcess> _members = [];

    /// <summary>Workers' grace after Ctrl-C: with <see cref="ServiceStopGrace"/>, inside the CLI's own interrupt grace period (2 min, Leap.Cli.InterruptGracePeriod).</summary>
    public static readonly TimeSpan DefaultStopGrace = TimeSpan.FromSeconds(90);

    public ProcessGroup()
        : this(RestartPolicy.Never)
    {
    }

    public ProcessGroup(RestartPolicy restarts)
        : this(restarts, DefaultStopGrace)
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

    /// <summary>
    /// Supervises the group until every required member finished, one failed past its restarts, or
    /// <paramref name="cancellation"/> fires. After cancellation the exit code is 130 (<see cref="ExitCode.Interrupted"/>)
    /// and Failed names a required member that did not stop cleanly (exit 0 or 130 within the grace period), if any.
    /// </summary>
    public async Task<(int ExitCode, string? Failed)> WaitAsync(CancellationToken cancellation)
    {
        try
        {
            return await SuperviseAsync(cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return (ExitCode.Interrupted, await StopAsync().ConfigureAwait(false));
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

    private async Task<(int ExitCode, string? Failed)> SuperviseAsync(CancellationToken cancellation)
    {
        var running = _members.ToDictionary(m => m.Current.WaitForExitAsync(CancellationToken.None), m => m);
        int remaining = _members.Count(m => m.Required);
        var cancelled = Task.Delay(Timeout.Infinite, cancellation);
        while (remaining > 0)
        {
            var finished = await Task.WhenAny(running.Keys.Append(cancelled)).ConfigureAwait(false);
            if (finished == cancelled)
            {
                cancellation.ThrowIfCancellationRequested();
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

    /// <summary>The ordered stop after Ctrl-C; returns the first required member that did not stop cleanly, or null.</summary>
    private async Task<string?> StopAsync()
    {
        var workers = _members.Where(m => m.Required).ToList();
        Console.Error.WriteLine($"launch: interrupted; asking {workers.Count} worker(s) to finish their step and checkpoint it (up to {stopGrace.TotalSeconds:0} s)");
        var killed = await StopMembersAsync(workers, stopGrace).ConfigureAwait(false);
        await StopMembersAsync(_members.Where(m => !m.Required).ToList(), ServiceStopGrace).ConfigureAwait(false);
        foreach (var worker in killed)
        {
            Console.Error.WriteLine($"launch: {worker.Name} did not stop within {stopGrace.TotalSeconds:0} s; killed it.");
        }
        return killed.Concat(workers.Where(w => !killed.Contains(w) && w.Current.ExitCode is not (ExitCode.Completed or ExitCode.Interrupted)))
            .FirstOrDefault()?.Name;
    }

    /// <summary>SIGTERM to every member, then a kill for those still running after <paramref name="grace"/> (returned).</summary>
    private static async Task<List<SupervisedProcess>> StopMembersAsync(IReadOnlyList<SupervisedProcess> members, TimeSpan grace)
    {
        foreach (var member in members)
        {
            member.Current.RequestStop();
        }
        using var deadline = new CancellationTokenSource(grace);
        try
        {
            await Task.WhenAll(members.Select(m => m.Current.WaitForExitAsync(deadline.Token))).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        var killed = members.Where(m => !m.Current.HasExited).ToList();
        foreach (var member in killed)
        {
            member.Current.Kill();
        }
        return killed;
    }
}
