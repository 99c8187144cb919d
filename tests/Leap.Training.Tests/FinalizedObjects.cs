using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Runtime.CompilerServices;

namespace Leap.Training.Tests;

/// <summary>
/// Counts the objects of given types whose finalizer the runtime runs while this listens (the runtime's FinalizeObject
/// event, keyed by method table). A TorchSharp Scalar that reaches its finalizer was a temporary nobody disposed: one
/// that can be freed while libtorch still reads it.
/// </summary>
internal sealed class FinalizedObjects : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<nint, long> _counts = new();
    private readonly Dictionary<nint, long> _baseline;

    /// <summary>Starts listening, after finalizing what earlier code left behind (so only what follows is counted).</summary>
    public FinalizedObjects()
    {
        Settle(); // also proves the session is live: the sentinel's finalization was seen
        _baseline = new Dictionary<nint, long>(_counts);
    }

    /// <summary>Collects, runs pending finalizers and waits until their events have arrived; then the counts are final.</summary>
    public void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        EnsureSentinelSeen();
    }

    public long Count<T>() => Total(typeof(T)) - (_baseline?.GetValueOrDefault(typeof(T).TypeHandle.Value) ?? 0);

    private long Total(Type type) => _counts.GetValueOrDefault(type.TypeHandle.Value);

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName == "FinalizeObject" && e.Payload is { Count: > 0 } payload && payload[0] is nint type)
        {
            _counts.AddOrUpdate(type, 1, (_, n) => n + 1);
        }
    }

    private void EnsureSentinelSeen()
    {
        long before = Total(typeof(Sentinel));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Total(typeof(Sentinel)) == before)
        {
            Assert.True(DateTime.UtcNow < deadline, "the runtime's FinalizeObject events did not arrive within 30 s");
            DropSentinel();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Thread.Sleep(50);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DropSentinel() => _ = new Sentinel();

    private sealed class Sentinel
    {
        ~Sentinel()
        {
        }
    }
}
