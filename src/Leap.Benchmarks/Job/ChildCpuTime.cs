using System.Runtime.InteropServices;

namespace Leap.Benchmarks.Job;

/// <summary>
/// User + system CPU seconds of this process's terminated and waited-for children and their waited-for descendants
/// (getrusage(RUSAGE_CHILDREN)): the delta around one child run is that run's CPU time, every process it started included.
/// Null where there is no getrusage (Windows).
/// </summary>
internal static partial class ChildCpuTime
{
    private const int RusageChildren = -1;

    /// <summary>struct rusage on 64-bit Linux: ru_utime, ru_stime (timeval: seconds, microseconds), then 14 longs.</summary>
    private const int RusageLongs = 18;

    public static double? Seconds()
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }
        Span<long> usage = stackalloc long[RusageLongs];
        return GetRUsage(RusageChildren, ref MemoryMarshal.GetReference(usage)) == 0
            ? usage[0] + usage[1] / 1e6 + usage[2] + usage[3] / 1e6
            : null;
    }

    [LibraryImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static partial int GetRUsage(int who, ref long usage);
}
