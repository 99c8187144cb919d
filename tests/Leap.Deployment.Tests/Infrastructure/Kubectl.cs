using System.Diagnostics;

namespace Leap.Deployment.Tests.Infrastructure;

/// <summary>Runs <c>kubectl kustomize</c> (offline: no cluster is contacted) with a timeout.</summary>
public static class Kubectl
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Path of kubectl on PATH, or null.</summary>
    public static string? Executable { get; } = Find();

    public const string MissingMessage = "kubectl is not on PATH: kustomize rendering and the checks on rendered manifests are skipped.";

    private static readonly Dictionary<string, string> Rendered = new(StringComparer.Ordinal);

    /// <summary>The output of <c>kubectl kustomize DIR</c> (cached per directory; the manifests do not change during a run).</summary>
    public static string Kustomize(string directory)
    {
        lock (Rendered)
        {
            if (!Rendered.TryGetValue(directory, out string? yaml))
            {
                yaml = Run("kustomize", directory);
                Rendered[directory] = yaml;
            }
            return yaml;
        }
    }

    private static string Run(params string[] arguments)
    {
        string kubectl = Executable ?? throw new InvalidOperationException(MissingMessage);
        var start = new ProcessStartInfo(kubectl)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {kubectl}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', arguments)} did not finish within {Timeout.TotalSeconds} s.");
        }
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"kubectl {string.Join(' ', arguments)} exited with {process.ExitCode}:{Environment.NewLine}{stderr.Result}");
        }
        return stdout.Result;
    }

    private static string? Find()
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, "kubectl");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}

/// <summary>A theory that is skipped, saying why, when kubectl is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class KubectlTheoryAttribute : TheoryAttribute
{
    public KubectlTheoryAttribute()
    {
        if (Kubectl.Executable is null)
        {
            Skip = Kubectl.MissingMessage;
        }
    }
}
