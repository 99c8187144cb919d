using System.Diagnostics;
using k8s.Models;

namespace Leap.Deployment.Tests.Infrastructure;

/// <summary>What the workers' <c>wait-for-dataset</c> init container did with a given set of files on the data volume.</summary>
/// <param name="Waited">It printed a waiting line instead of exiting.</param>
/// <param name="Output">The waiting line, or its standard error when it exited (paths as the pod sees them).</param>
/// <param name="ExitCode">Its exit code when it exited; null while it waits.</param>
public sealed record DatasetWaitOutcome(bool Waited, string Output, int? ExitCode);

/// <summary>
/// Runs an init container's command (<c>sh -c SCRIPT</c>) on this machine against a local folder standing for its
/// volume mount: every <c>MOUNT/</c> in the script becomes <c>ROOT/MOUNT/</c>, and the given files are created there first.
/// </summary>
public static class DatasetWait
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// <param name="container">The init container; its command must be a shell (<c>sh -c SCRIPT</c>).</param>
    /// <param name="mountPath">The mount the script's paths lie under (e.g. /data).</param>
    /// <param name="existing">Absolute paths under <paramref name="mountPath"/> to create (empty files) before it runs.</param>
    public static DatasetWaitOutcome Run(V1Container container, string mountPath, IEnumerable<string> existing)
    {
        var command = container.Command ?? throw new InvalidOperationException($"{container.Name} has no command");
        Assert.True(command.Count == 3 && command[1] == "-c", $"{container.Name}: expected `sh -c SCRIPT`, got [{string.Join(", ", command)}]");
        string prefix = mountPath.TrimEnd('/') + "/";
        string root = Path.Combine(Path.GetTempPath(), $"leap-dataset-wait-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(root + prefix);
            foreach (string path in existing)
            {
                Assert.StartsWith(prefix, path, StringComparison.Ordinal);
                string local = root + path;
                Directory.CreateDirectory(Path.GetDirectoryName(local)!);
                File.WriteAllBytes(local, []);
            }
            return Execute(command[0], command[2].Replace(prefix, root + prefix, StringComparison.Ordinal), root);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static DatasetWaitOutcome Execute(string shell, string script, string root)
    {
        var start = new ProcessStartInfo(shell)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {shell}.");
        try
        {
            var stderr = process.StandardError.ReadToEndAsync();
            // The signal: a first line (it waits and says so) or the end of its output (it exited).
            var firstLine = process.StandardOutput.ReadLineAsync();
            if (!firstLine.Wait(Timeout))
            {
                throw new TimeoutException($"`{shell} -c` neither printed a waiting line nor exited within {Timeout.TotalSeconds} s.");
            }
            if (firstLine.Result is { } first)
            {
                return new DatasetWaitOutcome(true, first.Replace(root, "", StringComparison.Ordinal), null);
            }
            if (!process.WaitForExit(Timeout) || !stderr.Wait(Timeout))
            {
                throw new TimeoutException($"`{shell} -c` closed its output but did not exit within {Timeout.TotalSeconds} s.");
            }
            return new DatasetWaitOutcome(false, stderr.Result.Replace(root, "", StringComparison.Ordinal), process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(Timeout);
            }
        }
    }
}
