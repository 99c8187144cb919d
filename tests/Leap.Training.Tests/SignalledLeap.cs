using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Leap.Training.Tests;

/// <summary>
/// Runs `leap` as a real process, waits until a line of its standard output says it got far enough, then sends it a
/// signal the way a terminal or Kubernetes would, and waits for it to exit. `env --default-signal` undoes an inherited
/// "ignore SIGINT" (background shells and CI runners start children that way). With <see cref="Target.ProcessGroup"/>
/// the CLI runs as the leader of its own process group (setsid) and the signal goes to the whole group, as Ctrl-C in a
/// terminal does to `leap launch` and every child it started.
/// </summary>
public static class SignalledLeap
{
    public const int SigInt = 2;
    public const int SigTerm = 15;

    public enum Target
    {
        /// <summary>Only the CLI's process (kill PID).</summary>
        Process,

        /// <summary>The CLI and its children (kill -PGID), as a terminal's Ctrl-C.</summary>
        ProcessGroup,
    }

    /// <summary>Runs, signals once <paramref name="ready"/> matched a line, and returns the exit code and everything printed (stdout, then stderr).</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(TimeSpan timeout, Func<string, bool> ready, int signal, Target target, params string[] args)
    {
        var info = new ProcessStartInfo(target == Target.ProcessGroup ? "setsid" : "env") { RedirectStandardOutput = true, RedirectStandardError = true };
        var prefix = target == Target.ProcessGroup ? (string[])["env", "--default-signal=INT,TERM"] : ["--default-signal=INT,TERM"];
        foreach (string a in prefix.Concat(["dotnet", Path.Combine(AppContext.BaseDirectory, "leap.dll")]).Concat(args))
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var lines = new System.Text.StringBuilder();
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Keep draining stdout the whole time: a full pipe would block the CLI's logging and so its training loop.
        var stdout = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (lines)
                {
                    lines.AppendLine(line);
                }
                if (ready(line))
                {
                    reached.TrySetResult();
                }
            }
        });
        try
        {
            await Task.WhenAny(reached.Task, process.WaitForExitAsync()).WaitAsync(timeout);
            if (process.HasExited)
            {
                Assert.Fail($"leap {args[0]} ended (exit {process.ExitCode}) before it was signalled:\n{lines}\n{await stderr}");
            }
            // setsid execs in place when its caller is not a group leader, so the CLI's pid is its process group's id.
            Assert.Equal(0, Kill(target == Target.ProcessGroup ? -process.Id : process.Id, signal));
            await process.WaitForExitAsync().WaitAsync(timeout);
            await stdout.WaitAsync(timeout);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        return (process.ExitCode, lines + await stderr);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
