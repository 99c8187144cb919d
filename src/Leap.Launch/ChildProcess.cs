using System.Diagnostics;

namespace Leap.Launch;

/// <summary>A `leap` subcommand running as a child process, its output forwarded line by line with a prefix.</summary>
public sealed class ChildProcess : IDisposable
{
    private static readonly Lock ConsoleLock = new();
    private readonly Process _process;

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <c>dotnet leap.dll args</c> (or the apphost when running as one).</summary>
    public static ChildProcess Start(string name, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = LeapStartInfo(args);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Forward(name, e.Data, Console.Out);
        process.ErrorDataReceived += (_, e) => Forward(name, e.Data, Console.Error);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChildProcess(name, process);
    }

    /// <summary>
    /// The `leap` CLI's assembly (Leap.Cli's AssemblyName), in the application's directory: leap's own output, or a test
    /// project referencing Leap.Cli.
    /// </summary>
    public const string LeapAssemblyFile = "leap.dll";

    /// <summary>
    /// How to start this `leap` with <paramref name="args"/>: <c>dotnet leap.dll args</c>, or the apphost when running as
    /// one; with glibc malloc keeping freed memory from the child's start (<see cref="NativeHeapRetention"/>).
    /// </summary>
    public static ProcessStartInfo LeapStartInfo(IEnumerable<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string host = Environment.ProcessPath ?? "dotnet";
        var info = new ProcessStartInfo(host) { UseShellExecute = false };
        foreach (var (key, value) in NativeHeapRetention.ChildEnvironment(info.Environment.AsReadOnly()))
        {
            info.Environment[key] = value;
        }

        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, LeapAssemblyFile));
        }
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }
        return info;
    }

    public Task WaitForExitAsync(CancellationToken cancellation) => _process.WaitForExitAsync(cancellation);

    /// <summary>Asks the process to stop cleanly (SIGTERM); a no-op if it already exited.</summary>
    public void RequestStop()
    {
        try
        {
            if (!_process.HasExited)
            {
                ProcessSignal.RequestStop(_process);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>Kills the process and its children; a no-op if it already exited.</summary>
    public void Kill()
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
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private static void Forward(string name, string? line, TextWriter writer)
    {
        if (line is null)
        {
            return;
        }
        lock (ConsoleLock)
        {
            writer.WriteLine($"[{name}] {line}");
        }
    }
}
