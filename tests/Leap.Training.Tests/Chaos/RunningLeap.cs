using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Leap.Training.Tests.Chaos;

/// <summary>
/// The real `leap` CLI running in the background: its stdout and stderr lines are collected as they arrive, so a test
/// can wait for a line (with a deadline) and act on the process tree mid-run. Disposing kills whatever still runs.
/// </summary>
internal sealed class RunningLeap : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _lock = new();
    private readonly List<(Regex Pattern, TaskCompletionSource<Match> Seen)> _waiters = [];

    private RunningLeap(Process process) => _process = process;

    public static RunningLeap Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "leap.dll"));
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }
        var process = new Process { StartInfo = info };
        var running = new RunningLeap(process);
        process.OutputDataReceived += (_, e) => running.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => running.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    /// <summary>Everything printed so far (stdout and stderr interleaved as received).</summary>
    public string Output
    {
        get
        {
            lock (_lock)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The first line (already printed or still to come) matching <paramref name="pattern"/>.</summary>
    public async Task<Match> WaitForLineAsync(string pattern, TimeSpan timeout)
    {
        var regex = new Regex(pattern, RegexOptions.CultureInvariant);
        var seen = new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            var earlier = regex.Match(_output.ToString());
            if (earlier.Success)
            {
                return earlier;
            }
            _waiters.Add((regex, seen));
        }
        try
        {
            return await seen.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no line matching '{pattern}' within {timeout}; output so far:\n{Output}");
        }
    }

    /// <summary>The pid `leap launch` last reported for its child <paramref name="name"/> ("launch: started NAME (pid N)").</summary>
    public int LatestPid(string name)
    {
        var starts = Regex.Matches(Output, $@"launch: started {Regex.Escape(name)} \(pid (\d+)\)", RegexOptions.CultureInvariant);
        Assert.True(starts.Count > 0, $"the launcher never reported starting {name}:\n{Output}");
        return int.Parse(starts[^1].Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Waits for the exit (killing the tree on timeout, which fails the test) and returns the exit code.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"leap did not exit within {timeout}; output:\n{Output}");
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lock)
        {
            _output.AppendLine(line);
            foreach (var (pattern, seen) in _waiters.ToArray())
            {
                var match = pattern.Match(line);
                if (match.Success)
                {
                    seen.TrySetResult(match);
                    _waiters.Remove((pattern, seen));
                }
            }
        }
    }
}
