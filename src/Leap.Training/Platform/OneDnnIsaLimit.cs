using System.Runtime.InteropServices;

namespace Leap.Training.Platform;

/// <summary>
/// Works around a crash of libtorch 2.10's oneDNN on AMD family 1Ah (Zen 5) virtual machines: its brgemm 1x1
/// convolution backward pass divides by a cache-derived block count that is zero there (SIGFPE in
/// <c>brgemm_convolution_bwd_utils::brg_blocking_t::est_eff_1x1</c>), killing any ResNet training at its first
/// backward step. On such a CPU, and only when the user has not set it, <c>ONEDNN_MAX_CPU_ISA=AVX</c> is put into the
/// native environment, so oneDNN uses its AVX kernels (no brgemm). oneDNN reads the variable once, at its first
/// primitive: <see cref="Modeling.EmbeddingNetwork.Create"/> calls <see cref="Apply"/> before building a ResNet, which in
/// a `leap` process happens before any convolution runs. The small CNN (no 1x1 convolutions) is left at full speed: the
/// limit halves its throughput here (1,761 vs 928 images/s, 150 steps of the quick-start job, Threads=2).
/// </summary>
public static partial class OneDnnIsaLimit
{
    public const string Variable = "ONEDNN_MAX_CPU_ISA";
    public const string Limit = "AVX";

    /// <summary>What was decided for this process, for logs: null when nothing was changed.</summary>
    public static string? Applied { get; private set; }

    /// <summary>Sets the limit on an affected CPU unless the variable is set; idempotent.</summary>
    public static void Apply()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(Variable) is not null || !IsAffected(CpuInfo()))
        {
            return;
        }

        if (SetEnvironment(Variable, Limit, 0) == 0)
        {
            Environment.SetEnvironmentVariable(Variable, Limit);
            Applied = $"{Variable}={Limit} (oneDNN brgemm 1x1 backward divides by zero on AMD family 1Ah; set {Variable} yourself to override)";
        }
    }

    /// <summary>True for /proc/cpuinfo text of an AMD CPU of family 26 (0x1A, Zen 5).</summary>
    public static bool IsAffected(string cpuInfo)
    {
        ArgumentNullException.ThrowIfNull(cpuInfo);
        bool amd = false;
        int? family = null;
        foreach (string line in cpuInfo.Split('\n'))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            string key = line[..colon].Trim();
            string value = line[(colon + 1)..].Trim();
            if (key == "vendor_id")
            {
                amd |= value == "AuthenticAMD";
            }
            else if (key == "cpu family" && family is null && int.TryParse(value, out int f))
            {
                family = f;
            }
        }

        return amd && family == 26;
    }

    private static string CpuInfo()
    {
        try
        {
            return File.ReadAllText("/proc/cpuinfo");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnvironment(string name, string value, int overwrite);
}
