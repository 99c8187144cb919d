namespace Leap.CentreService.Tests.Support;

/// <summary>`leap centre-service` started as a real child process on 127.0.0.1, port 0.</summary>
public sealed class CentreServiceProcess : IAsyncDisposable
{
    private const string ListeningMarker = "LEAP_CENTRE_LISTENING ";
    private readonly LeapCliProcess _leap;

    private CentreServiceProcess(LeapCliProcess leap, string address)
    {
        _leap = leap;
        Address = address;
    }

    public string Address { get; }

    /// <summary>The process id (for /proc/&lt;id&gt;/cmdline).</summary>
    public int ProcessId => _leap.Id;

    /// <summary>Starts the service with <c>--set</c> for each of <paramref name="settings"/> (CentreService:Key=Value) and waits until it listens.</summary>
    public static async Task<CentreServiceProcess> StartAsync(string stateDirectory, TimeSpan timeout, params string[] settings)
    {
        string[] args = ["centre-service", "--port", "0", "--set", $"CentreService:StateDirectory={stateDirectory}",
            .. settings.SelectMany(s => new[] { "--set", s })];
        var leap = LeapCliProcess.Start(args);
        try
        {
            while (true)
            {
                string line = await leap.ReadLineAsync(timeout);
                if (line.StartsWith(ListeningMarker, StringComparison.Ordinal))
                {
                    return new CentreServiceProcess(leap, line[ListeningMarker.Length..].Trim());
                }
            }
        }
        catch
        {
            await leap.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crash.</summary>
    public Task KillAsync(TimeSpan timeout) => _leap.KillAsync(timeout);

    /// <summary>Everything printed so far (stdout, then stderr).</summary>
    public IEnumerable<string> Output => _leap.Output.Concat(_leap.Error);

    /// <summary>Serilog console lines at error or fatal level.</summary>
    public IEnumerable<string> Errors => Output
        .Where(l => l.Contains("ERR]", StringComparison.Ordinal) || l.Contains("FTL]", StringComparison.Ordinal));

    public ValueTask DisposeAsync() => _leap.DisposeAsync();
}
