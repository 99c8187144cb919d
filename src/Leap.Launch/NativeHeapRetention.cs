using System.Globalization;
using System.Runtime.InteropServices;

namespace Leap.Launch;

/// <summary>
/// Keeps the memory libtorch frees inside the process instead of returning it to the kernel. libtorch's CPU allocator
/// is glibc malloc: each step allocates and frees activations of megabytes, which glibc by default serves from fresh
/// mmap'd pages and gives back on free (and its per-thread arenas trim their heaps), so every step page-faults its
/// working set in again. Measured on the quick-start job (2 cores): about 5,000 page faults and 37 ms of kernel time
/// per step, up to twice the step time of the same job with the memory kept (docs/benchmarks.md). PyTorch's CPU
/// performance guides give the same advice (jemalloc or tcmalloc with retention); this does it with glibc's own knobs:
/// <list type="bullet">
/// <item><c>M_MMAP_THRESHOLD</c> at 256 MiB, so blocks below it come from the heap, not a private mapping;</item>
/// <item><c>M_TRIM_THRESHOLD</c> at 1 GiB, so the heap is not trimmed after every step;</item>
/// <item><c>M_ARENA_MAX</c> = 1, so blocks allocated on one thread and freed on another (async collectives
/// continue on pool threads) stay in one heap.</item>
/// </list>
/// Skipped when the user tuned malloc (<c>GLIBC_TUNABLES</c> or any <c>MALLOC_*</c> variable set), when
/// <c>LEAP_NATIVE_HEAP=default</c> asks for glibc's defaults, and off Linux/glibc.
/// In-process (<see cref="Apply"/>) the arena limit comes too late for the runtime's own threads, which already have
/// arenas; a child process started by <c>leap</c> gets the settings from its first instruction through
/// <see cref="ChildEnvironment"/>, and the container image sets <see cref="TunablesVariable"/> itself.
/// </summary>
public static partial class NativeHeapRetention
{
    private const int TrimThresholdParameter = -1;
    private const int MmapThresholdParameter = -3;
    private const int ArenaMaxParameter = -8;
    private const int TrimThresholdBytes = 1 << 30;
    private const int MmapThresholdBytes = 256 << 20;

    /// <summary>What was set for this process, for logs: null when nothing was changed.</summary>
    public static string? Applied { get; private set; }

    /// <summary>This process's malloc settings in words, for the start-up log.</summary>
    public static string Describe() => Applied
        ?? (Environment.GetEnvironmentVariable(TunablesVariable) is string tunables
            ? $"{TunablesVariable}={tunables}"
            : $"glibc malloc defaults ({ModeVariable}={DefaultHeap}, MALLOC_* set, or not glibc)");

    /// <summary>The environment a child process gets so that glibc applies the same settings from its start (unless the user tuned malloc).</summary>
    public const string TunablesVariable = "GLIBC_TUNABLES";

    /// <summary>The <see cref="TunablesVariable"/> value equivalent to <see cref="Apply"/>.</summary>
    public static string Tunables { get; } = string.Create(CultureInfo.InvariantCulture,
        $"glibc.malloc.mmap_threshold={MmapThresholdBytes}:glibc.malloc.trim_threshold={TrimThresholdBytes}:glibc.malloc.arena_max=1");

    /// <summary>Set to <see cref="DefaultHeap"/> to keep glibc's own malloc settings (for comparison or to save memory).</summary>
    public const string ModeVariable = "LEAP_NATIVE_HEAP";

    public const string DefaultHeap = "default";

    public const string RetainHeap = "retain";

    /// <exception cref="ArgumentException"><see cref="ModeVariable"/> is neither retain nor default.</exception>
    public static void Validate(IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment.TryGetValue(ModeVariable, out string? mode) && !string.IsNullOrEmpty(mode) && mode is not (RetainHeap or DefaultHeap))
        {
            throw new ArgumentException($"{ModeVariable}={mode}: allowed values are {RetainHeap} (the default: keep freed native memory) and {DefaultHeap} (glibc's own malloc settings).");
        }
    }

    /// <summary>Whether the environment leaves malloc alone: the user tuned it (GLIBC_TUNABLES, MALLOC_*) or asked for glibc's defaults.</summary>
    public static bool UserTuned(IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment.Any(e => e.Value is not null &&
            (e.Key == TunablesVariable || e.Key.StartsWith("MALLOC_", StringComparison.Ordinal) || (e.Key == ModeVariable && e.Value == DefaultHeap)));
    }

    /// <summary>What a `leap` child process's environment adds: <see cref="Tunables"/>, unless the user tuned malloc.</summary>
    /// <param name="inherited">The environment the child would get otherwise.</param>
    public static IReadOnlyDictionary<string, string> ChildEnvironment(IReadOnlyDictionary<string, string?> inherited) =>
        UserTuned(inherited) ? new Dictionary<string, string>() : new Dictionary<string, string> { [TunablesVariable] = Tunables };

    /// <summary>
    /// Sets a child's malloc environment for a comparison: <paramref name="retain"/> gives it <see cref="Tunables"/>
    /// (whatever program it is, so a PyTorch peer gets the same allocator settings as ours); otherwise glibc's defaults
    /// (<see cref="ModeVariable"/> = default and no <see cref="TunablesVariable"/>).
    /// </summary>
    public static void ConfigureChild(System.Diagnostics.ProcessStartInfo info, bool retain)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (retain)
        {
            info.Environment.Remove(ModeVariable);
            info.Environment[TunablesVariable] = Tunables;
        }
        else
        {
            info.Environment.Remove(TunablesVariable);
            info.Environment[ModeVariable] = DefaultHeap;
        }
    }

    /// <summary>Applies the settings to this process; idempotent, call before libtorch allocates.</summary>
    /// <exception cref="ArgumentException">A bad <see cref="ModeVariable"/>.</exception>
    public static void Apply()
    {
        if (Applied is not null || !OperatingSystem.IsLinux())
        {
            return;
        }

        var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
        Validate(environment);
        if (UserTuned(environment))
        {
            return;
        }

        try
        {
            bool mmap = Mallopt(MmapThresholdParameter, MmapThresholdBytes) == 1;
            bool trim = Mallopt(TrimThresholdParameter, TrimThresholdBytes) == 1;
            bool arenas = Mallopt(ArenaMaxParameter, 1) == 1;
            Applied = string.Create(CultureInfo.InvariantCulture,
                $"glibc malloc keeps freed memory: mmap threshold {(mmap ? $"{MmapThresholdBytes >> 20} MiB" : "unchanged")}, trim threshold {(trim ? "1 GiB" : "unchanged")}, arenas {(arenas ? "1" : "unchanged")} (set {TunablesVariable} to override)");
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (e.g. musl): its allocator has none of these knobs.
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int Mallopt(int parameter, int value);
}
