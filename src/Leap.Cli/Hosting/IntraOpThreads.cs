using Leap.Launch;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace Leap.Cli.Hosting;

/// <summary>
/// A worker's torch intra-op threads, set once at start: <c>Training:Threads</c> when set, otherwise one per core this
/// process may use (<see cref="Environment.ProcessorCount"/>, which follows a container's CPU limit, where libtorch's
/// own default counts every core of the node). Logs the count libtorch reports, and warns when it exceeds the cores.
/// </summary>
public static partial class IntraOpThreads
{
    public static int Apply(int configured, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(log);
        int cores = Environment.ProcessorCount;
        set_num_threads(WorkerThreads.PerWorker(configured, cores, workers: 1));
        int threads = get_num_threads();
        Log.Using(log, threads, configured > 0 ? "Training:Threads" : "one per available core", cores);
        Log.Heap(log, NativeHeapRetention.Describe());
        if (threads > cores)
        {
            Log.Oversubscribed(log, threads, cores);
        }
        return threads;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Native heap: {Heap}")]
        public static partial void Heap(ILogger logger, string heap);

        [LoggerMessage(Level = LogLevel.Information, Message = "Torch intra-op threads: {Threads} ({Source}; {Cores} cores available to this process)")]
        public static partial void Using(ILogger logger, int threads, string source, int cores);

        [LoggerMessage(Level = LogLevel.Warning,
            Message = "Torch intra-op threads ({Threads}) exceed the {Cores} cores available to this process: the CPU is oversubscribed; lower Training:Threads or leave it at 0")]
        public static partial void Oversubscribed(ILogger logger, int threads, int cores);
    }
}
