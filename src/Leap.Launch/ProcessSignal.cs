using System.Runtime.InteropServices;

namespace Leap.Launch;

/// <summary>
/// Sends SIGTERM to a child, asking it to stop cleanly (a worker finishes the step every rank agreed on and reports its
/// checkpoint; a service stops its host). .NET's <see cref="System.Diagnostics.Process"/> can only kill; on Windows,
/// which has no signals, this falls back to that.
/// </summary>
public static partial class ProcessSignal
{
    private const int SigTerm = 15;

    /// <summary>True when the request was delivered (or the process was killed, on Windows); false when it already exited.</summary>
    public static bool RequestStop(System.Diagnostics.Process process)
    {
        if (OperatingSystem.IsWindows())
        {
            process.Kill(entireProcessTree: true);
            return true;
        }
        return Kill(process.Id, SigTerm) == 0;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
