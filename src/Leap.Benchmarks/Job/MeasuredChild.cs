using System.Diagnostics;

namespace Leap.Benchmarks.Job;

/// <summary>What one child run took: its exit code, wall seconds and the CPU seconds of it and every process it started.</summary>
public sealed record ChildUsage(int ExitCode, double WallSeconds, double CpuSeconds);

/// <summary>
/// Runs one child process to its end with its output in a log file (the console gets one line per run from the
/// caller), measuring wall time and, through getrusage(RUSAGE_CHILDREN), CPU time. Runs must not overlap: the CPU
/// delta counts every child reaped meanwhile.
/// </summary>
public static class MeasuredChild
{
    private const int TailLines = 20;

    public static async Task<ChildUsage> RunAsync(ProcessStartInfo info, string logPath, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(info);
        info.UseShellExecute = false;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        using var log = new StreamWriter(logPath) { AutoFlush = true };
        var gate = new Lock();
        void Append(string? line)
        {
            if (line is not null)
            {
                lock (gate)
                {
                    log.WriteLine(line);
                }
            }
        }
        double cpuBefore = ChildCpuTime.Seconds() ?? double.NaN;
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        double wall = clock.Elapsed.TotalSeconds;
        double cpu = (ChildCpuTime.Seconds() ?? double.NaN) - cpuBefore;
        return new ChildUsage(process.ExitCode, wall, cpu);
    }

    /// <summary>The last lines of a run's log, for the message of a failed run.</summary>
    public static string Tail(string logPath) =>
        File.Exists(logPath) ? string.Join(Environment.NewLine, File.ReadLines(logPath).TakeLast(TailLines)) : "(no output)";
}
