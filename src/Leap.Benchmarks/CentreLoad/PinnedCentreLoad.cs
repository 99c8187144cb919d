using System.Diagnostics;
using System.Globalization;
using Leap.Launch;
using Leap.Security;

namespace Leap.Benchmarks.CentreLoad;

/// <summary>
/// `leap bench centre --service-cpus LIST`: the centre service as its own process pinned to LIST (taskset, so every
/// thread it ever starts stays there) and the load generator as another process pinned to the remaining CPUs, as in a
/// deployment where the service has its own pod. Both children share a token generated for the run.
/// </summary>
public static class PinnedCentreLoad
{
    public const string DefaultPath = "docs/bench/centre-load-pinned.json";
    private const string Taskset = "/usr/bin/taskset";

    /// <summary>The service's and the clients' CPUs, or why <paramref name="text"/> cannot be used on this machine.</summary>
    public static (int[] Service, int[] Clients, string? Problem) Plan(string text, int processorCount)
    {
        ArgumentNullException.ThrowIfNull(text);
        var service = new SortedSet<int>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int cpu) || cpu >= processorCount)
            {
                return ([], [], $"--service-cpus: '{part}' is not a CPU number in [0, {processorCount - 1}] (a comma-separated list, e.g. 1 or 2,3).");
            }
            service.Add(cpu);
        }
        int[] clients = [.. Enumerable.Range(0, processorCount).Where(c => !service.Contains(c))];
        if (service.Count == 0 || clients.Length == 0)
        {
            return ([], [], $"--service-cpus = '{text}' must leave at least one of the {processorCount} CPUs to the clients and take at least one.");
        }
        return File.Exists(Taskset) ? ([.. service], clients, null) : ([], [], $"--service-cpus needs {Taskset} (util-linux).");
    }

    /// <param name="clientArguments">The `leap bench centre` arguments of the load (clients, duration, layout).</param>
    /// <param name="serviceOverrides">CentreService:Key=Value settings of the service.</param>
    public static async Task<int> RunAsync(int[] serviceCpus, int[] clientCpus, IReadOnlyList<string> serviceOverrides, IReadOnlyList<string> clientArguments,
        string path, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(serviceOverrides);
        ArgumentNullException.ThrowIfNull(clientArguments);
        string token = SharedToken.Generate();
        string state = Path.Combine(Path.GetTempPath(), "leap-bench-centre-" + Guid.NewGuid().ToString("N"));
        int[] ports = FreePorts.Take(2);
        int port = ports[0];
        int metricsPort = ports[1];
        string serviceList = string.Join(',', serviceCpus);
        string clientList = string.Join(',', clientCpus);
        using var service = Start(serviceList, token,
            ["centre-service", "--port", port.ToString(CultureInfo.InvariantCulture), "--set", $"CentreService:StateDirectory={state}", "--set", $"Metrics:Port={metricsPort.ToString(CultureInfo.InvariantCulture)}",
                .. serviceOverrides.SelectMany(o => new[] { "--set", o })],
            quiet: true);
        try
        {
            if (!await PortProbe.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(60), cancellation).ConfigureAwait(false))
            {
                Console.Error.WriteLine($"error: the pinned centre service did not listen on port {port} within 60 s.");
                return ExitCode.Failed;
            }
            string placement = $"service process on CPU {serviceList}, client process on CPU {clientList} (taskset)";
            using var clients = Start(clientList, token,
                ["bench", "centre", "--service", $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "--out", path, "--placement", placement, .. clientArguments],
                quiet: false);
            await clients.WaitForExitAsync(cancellation).ConfigureAwait(false);
            if (clients.ExitCode == 0 && File.Exists(path))
            {
                var report = CentreLoadBenchReport.Read(path).WithServer(await ScrapeAsync(metricsPort, cancellation).ConfigureAwait(false));
                report.Write(path);
                Console.WriteLine(report.Summary());
            }
            return clients.ExitCode;
        }
        finally
        {
            if (!service.HasExited)
            {
                ProcessSignal.RequestStop(service);
                if (!service.WaitForExit(TimeSpan.FromSeconds(10)))
                {
                    service.Kill(entireProcessTree: true);
                }
            }
            if (Directory.Exists(state))
            {
                Directory.Delete(state, recursive: true);
            }
        }
    }

    /// <summary>The service's push histogram from its /metrics port, or null (with a warning) when it cannot be read.</summary>
    private static async Task<ServerPushLatency?> ScrapeAsync(int metricsPort, CancellationToken cancellation)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            string text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{metricsPort.ToString(CultureInfo.InvariantCulture)}/metrics"), cancellation).ConfigureAwait(false);
            return ServerPushLatency.FromPrometheusText(text);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or FormatException)
        {
            Console.Error.WriteLine($"warning: the service's push histogram could not be read from port {metricsPort.ToString(CultureInfo.InvariantCulture)}: {e.Message}");
            return null;
        }
    }

    private static Process Start(string cpus, string token, IEnumerable<string> leapArguments, bool quiet)
    {
        var leap = ChildProcess.LeapStartInfo(leapArguments);
        var info = new ProcessStartInfo(Taskset) { UseShellExecute = false, RedirectStandardOutput = quiet, RedirectStandardError = quiet };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(cpus);
        info.ArgumentList.Add(leap.FileName);
        foreach (string a in leap.ArgumentList)
        {
            info.ArgumentList.Add(a);
        }
        info.Environment[AuthEnvironment.Token] = token;
        info.Environment.Remove(AuthEnvironment.TokenFile);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{Taskset} did not start.");
        if (quiet)
        {
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }
        return process;
    }
}
