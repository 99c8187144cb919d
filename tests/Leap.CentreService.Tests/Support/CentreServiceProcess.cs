using System.Collections.Concurrent;
using System.Diagnostics;

namespace Leap.CentreService.Tests.Support;

/// <summary>Leap.CentreService.Host started as a real child process on 127.0.0.1, port 0.</summary>
public sealed class CentreServiceProcess : IAsyncDisposable
{
    private const string ListeningMarker = "LEAP_CENTRE_LISTENING ";
    private readonly Process _process;
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CentreServiceProcess(Process process) => _process = process;

    public string Address { get; private set; } = "";
    public ConcurrentQueue<string> Output { get; } = new();

    public static async Task<CentreServiceProcess> StartAsync(string stateDirectory, TimeSpan timeout, params string[] settings)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(HostAssembly());
        info.ArgumentList.Add("--urls=http://127.0.0.1:0");
        info.ArgumentList.Add($"--CentreService:StateDirectory={stateDirectory}");
        foreach (string setting in settings)
        {
            info.ArgumentList.Add(setting);
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var started = new CentreServiceProcess(process);
        process.OutputDataReceived += (_, e) => started.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => started.OnLine(e.Data);
        process.Exited += (_, _) => started._listening.TrySetException(new InvalidOperationException(
            "The centre service process exited before listening:\n" + string.Join("\n", started.Output)));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        started.Address = await started._listening.Task.WaitAsync(timeout);
        return started;
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crash.</summary>
    public async Task KillAsync(TimeSpan timeout)
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(timeout);
    }

    /// <summary>Serilog console lines at error or fatal level.</summary>
    public IEnumerable<string> Errors => Output.Where(l => l.Contains("ERR]", StringComparison.Ordinal) || l.Contains("FTL]", StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        Output.Enqueue(line);
        if (line.StartsWith(ListeningMarker, StringComparison.Ordinal))
        {
            _listening.TrySetResult(line[ListeningMarker.Length..].Trim());
        }
    }

    /// <summary>The host built next to this test assembly's configuration (the test project references it, unreferenced).</summary>
    private static string HostAssembly()
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
        string path = Path.Combine(dir.FullName, "src", "Leap.CentreService.Host", "bin", configuration, "net10.0", "Leap.CentreService.Host.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build Leap.CentreService.Host ({configuration}) first: {path} is missing.", path);
    }
}
