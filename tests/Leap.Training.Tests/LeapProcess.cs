using System.Diagnostics;

namespace Leap.Training.Tests;

/// <summary>Runs the real `leap` CLI (leap.dll copied next to the tests) as a child process, with a timeout.</summary>
internal static class LeapProcess
{
    public static (int ExitCode, string Output, string Error) Run(TimeSpan timeout, params string[] args) =>
        Run(timeout, new Dictionary<string, string>(), args);

    public static (int ExitCode, string Output, string Error) Run(TimeSpan timeout, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "leap.dll"));
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"leap {string.Join(' ', args)} did not exit within {timeout}.");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
