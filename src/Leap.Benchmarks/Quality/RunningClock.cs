using System.Diagnostics;

namespace Leap.Benchmarks.Quality;

/// <summary>
/// Wall-clock time that leaves out the periods the process was suspended (SIGSTOP while the background grid is
/// paused for a measurement or CI, a suspended VM): a timer ticks every <see cref="TickInterval"/>, and a gap between
/// ticks longer than <see cref="SuspensionThreshold"/> counts as suspended, less one tick. A cell's recorded training
/// time is then the time it trained, so the report's pace and its estimate of the remaining grid are not inflated by
/// pauses. A busy process still ticks: the timer runs on the thread pool, which a training step on other threads does
/// not starve for seconds.
/// </summary>
public sealed class RunningClock : IDisposable
{
    public static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan SuspensionThreshold = TimeSpan.FromSeconds(10);

    private readonly Func<long> _timestamp;
    private readonly long _start;
    private readonly Lock _lock = new();
    private readonly Timer? _timer;
    private long _lastTick;
    private long _suspendedTicks;

    /// <summary>Starts the clock with its own timer.</summary>
    public RunningClock() : this(Stopwatch.GetTimestamp, startTimer: true)
    {
    }

    /// <param name="timestamp">The time source, in <see cref="Stopwatch"/> ticks (a test's fake).</param>
    /// <param name="startTimer">False: the caller calls <see cref="Tick"/> (tests).</param>
    public RunningClock(Func<long> timestamp, bool startTimer)
    {
        ArgumentNullException.ThrowIfNull(timestamp);
        _timestamp = timestamp;
        _start = _lastTick = timestamp();
        _timer = startTimer ? new Timer(_ => Tick(), null, TickInterval, TickInterval) : null;
    }

    /// <summary>Time since the start, less the suspensions detected so far (and the one in progress, if any).</summary>
    public TimeSpan Elapsed
    {
        get
        {
            lock (_lock)
            {
                long now = _timestamp();
                return Stopwatch.GetElapsedTime(_start, now) - TimeSpan.FromSeconds((_suspendedTicks + Suspended(now - _lastTick)) / (double)Stopwatch.Frequency);
            }
        }
    }

    /// <summary>Time left out as suspended so far.</summary>
    public TimeSpan Suspended()
    {
        lock (_lock)
        {
            return TimeSpan.FromSeconds(_suspendedTicks / (double)Stopwatch.Frequency);
        }
    }

    /// <summary>Records a tick (the timer calls it every <see cref="TickInterval"/>).</summary>
    public void Tick()
    {
        lock (_lock)
        {
            long now = _timestamp();
            _suspendedTicks += Suspended(now - _lastTick);
            _lastTick = now;
        }
    }

    /// <summary>The part of a gap between ticks that counts as suspended: all but one tick interval, once over the threshold.</summary>
    private static long Suspended(long gap) =>
        gap > (long)(SuspensionThreshold.TotalSeconds * Stopwatch.Frequency) ? gap - (long)(TickInterval.TotalSeconds * Stopwatch.Frequency) : 0;

    public void Dispose() => _timer?.Dispose();
}
