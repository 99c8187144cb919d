using System.Globalization;

namespace Leap.Training.Metrics;

/// <summary>This process's resident-set figures from /proc/self/status (Linux), and the reset of its high-water mark.</summary>
public static class ProcessMemory
{
    /// <summary>VmHWM (peak resident set) in bytes, or 0 where /proc is missing.</summary>
    public static long PeakResidentBytes() => Field("VmHWM:");

    public static long ResidentBytes() => Field("VmRSS:");

    /// <summary>Resets VmHWM to the current RSS (writing 5 to /proc/self/clear_refs); false where that is not allowed.</summary>
    public static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long Field(string name)
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status))
        {
            return 0;
        }
        string? line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
        if (line is null)
        {
            return 0;
        }
        string kb = line[name.Length..].Trim().Split(' ')[0];
        return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
    }
}
