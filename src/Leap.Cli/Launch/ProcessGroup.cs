namespace Leap.Cli.Launch;

/// <summary>
/// Child processes that live and die together: <see cref="WaitAsync"/> returns 0 when every member exited 0, and
/// as soon as one fails (or on cancellation) kills the others and reports the failure.
/// </summary>
public sealed class ProcessGroup : IDisposable
{
    private readonly List<ChildProcess> _members = [];

    public IReadOnlyList<ChildProcess> Members => _members;

    public ChildProcess Add(ChildProcess process)
    {
        _members.Add(process);
        return process;
    }

    /// <summary>Waits for the members in <paramref name="required"/> to finish; others (services) are killed afterwards.</summary>
    public async Task<(int ExitCode, string? Failed)> WaitAsync(IReadOnlyCollection<ChildProcess> required, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(required);
        var pending = _members.ToDictionary(m => m.WaitForExitAsync(CancellationToken.None), m => m);
        var remaining = new HashSet<ChildProcess>(required);
        var cancelled = Task.Delay(Timeout.Infinite, cancellation);
        try
        {
            while (remaining.Count > 0)
            {
                var finished = await Task.WhenAny(pending.Keys.Append(cancelled)).ConfigureAwait(false);
                if (finished == cancelled)
                {
                    return (130, null);
                }
                var member = pending[finished];
                pending.Remove(finished);
                if (member.ExitCode != 0)
                {
                    return (member.ExitCode, member.Name);
                }
                if (!remaining.Remove(member))
                {
                    // A service exited on its own while workers still run: that is a failure too.
                    return (1, member.Name);
                }
            }
            return (0, null);
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
            m.Kill();
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
