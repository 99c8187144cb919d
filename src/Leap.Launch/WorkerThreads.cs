using System.Globalization;

namespace Leap.Launch;

/// <summary>
/// Torch intra-op threads per worker when several workers share one box (as torchrun sets OMP_NUM_THREADS): a
/// user-set <c>Training:Threads</c> wins; otherwise (0) the cores are split evenly over the workers, at least one each,
/// so N workers do not each start one thread per core.
/// </summary>
public static class WorkerThreads
{
    public const string OpenMpVariable = "OMP_NUM_THREADS";
    public const string MklVariable = "MKL_NUM_THREADS";

    /// <summary>Threads for each of <paramref name="workers"/> workers on <paramref name="cores"/> cores; <paramref name="configured"/> &gt; 0 is the user's choice.</summary>
    public static int PerWorker(int configured, int cores, int workers)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(configured);
        ArgumentOutOfRangeException.ThrowIfLessThan(cores, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        return configured > 0 ? configured : Math.Max(1, cores / workers);
    }

    /// <summary>Whether <paramref name="workers"/> workers of <paramref name="threads"/> threads each want more threads than there are cores.</summary>
    public static bool Oversubscribes(int threads, int workers, int cores) => (long)threads * workers > cores;

    /// <summary>The OpenMP and MKL thread variables of a worker's environment, set to its intra-op thread count.</summary>
    public static IReadOnlyDictionary<string, string> ChildEnvironment(int threads)
    {
        string value = threads.ToString(CultureInfo.InvariantCulture);
        return new Dictionary<string, string> { [OpenMpVariable] = value, [MklVariable] = value };
    }
}
