using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;

namespace Leap.CentreService.Tests.Support;

/// <summary>
/// The real `leap` CLI (src/Leap.Cli's build output, same configuration as the tests) as a child process: stdout
/// lines arrive on <see cref="ReadLineAsync"/>, both streams are kept for assertions and failure messages.
/// </summary>
public sealed class LeapCliProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errorClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LeapCliProcess(Process process, string[] args)
    {
        _process = process;
        Arguments = args;
    }

    public IReadOnlyList<string> Arguments { get; }

    public int Id => _process.Id;
    public ConcurrentQueue<string> Output { get; } = new();
    public ConcurrentQueue<string> Error { get; } = new();
    public string OutputText => string.Join('\n', Output);
    public string ErrorText => string.Join('\n', Error);

    /// <summary>Starts `leap args` with LEAP_AUTH_TOKEN = <see cref="TestAuth.Token"/> in its environment.</summary>
    public static LeapCliProcess Start(params string[] args) => Start(new Dictionary<string, string?> { ["LEAP_AUTH_TOKEN"] = TestAuth.Token }, args);

    /// <summary>Starts `leap args` with <paramref name="environment"/> added to (null values: removed from) the inherited one.</summary>
    public static LeapCliProcess Start(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(LeapAssembly());
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        var process = new Process { StartInfo = info };
        var started = new LeapCliProcess(process, args);
        process.OutputDataReceived += (_, e) => started.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => started.OnError(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Runs `leap args` to completion: exit code and both streams once they are closed.</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(TimeSpan timeout, params string[] args) =>
        RunAsync(timeout, new Dictionary<string, string?> { ["LEAP_AUTH_TOKEN"] = TestAuth.Token }, args);

    /// <summary>Runs `leap args` with <paramref name="environment"/> (see <see cref="Start(IReadOnlyDictionary{string, string?}, string[])"/>).</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(TimeSpan timeout, IReadOnlyDictionary<string, string?> environment,
        params string[] args)
    {
        await using var leap = Start(environment, args);
        int code = await leap.WaitForExitAsync(timeout);
        return (code, leap.OutputText, leap.ErrorText);
    }

    /// <summary>The next stdout line; fails with what was printed when none arrives within <paramref name="timeout"/>.</summary>
    public async Task<string> ReadLineAsync(TimeSpan timeout)
    {
        try
        {
            return await _lines.Reader.ReadAsync().AsTask().WaitAsync(timeout);
        }
        catch (Exception e) when (e is TimeoutException or ChannelClosedException)
        {
            throw new TimeoutException($"{Describe()} printed no further line within {timeout} ({e.GetType().Name}).\n{Transcript()}", e);
        }
    }

    /// <summary>Waits for the exit and for both streams to be read to their end.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await Task.WhenAll(_process.WaitForExitAsync(), _outputClosed.Task, _errorClosed.Task).WaitAsync(timeout);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{Describe()} did not exit within {timeout}.\n{Transcript()}", e);
        }
        return _process.ExitCode;
    }

    public string Transcript() => $"stdout:\n{OutputText}\nstderr:\n{ErrorText}";

    /// <summary>SIGKILL to the process tree (no shutdown code runs), then waits for the exit.</summary>
    public async Task KillAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync().WaitAsync(timeout);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync(TimeSpan.FromSeconds(30));
        _process.Dispose();
    }

    /// <summary>src/Leap.Cli/bin/&lt;configuration&gt;/net10.0/leap.dll of the checkout these tests were built from.</summary>
    private static string LeapAssembly()
    {
        string baseDirectory = AppContext.BaseDirectory;
        string configuration = baseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var dir = new DirectoryInfo(baseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Leap.Distributed.sln")))
        {
            dir = dir.Parent;
        }
        if (dir is null)
        {
            throw new InvalidOperationException($"No Leap.Distributed.sln above {baseDirectory}.");
        }
        string path = Path.Combine(dir.FullName, "src", "Leap.Cli", "bin", configuration, "net10.0", "leap.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build src/Leap.Cli ({configuration}) first: {path} is missing.", path);
    }

    private string Describe() => $"leap {string.Join(' ', Arguments)}";

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            _lines.Writer.TryComplete();
            _outputClosed.TrySetResult();
            return;
        }
        Output.Enqueue(line);
        _lines.Writer.TryWrite(line);
    }

    private void OnError(string? line)
    {
        if (line is null)
        {
            _errorClosed.TrySetResult();
            return;
        }
        Error.Enqueue(line);
    }
}
