using System.Diagnostics;
using Leap.Benchmarks.Quality;

namespace Leap.Training.Tests.Quality;

/// <summary>A quality cell's clock leaves out the time the process was suspended (a gap between its ticks), and only that.</summary>
public sealed class RunningClockTests
{
    private long _now;

    private void At(double seconds) => _now = (long)(seconds * Stopwatch.Frequency);

    [Fact]
    public void Elapsed_RegularTicks_IsTheWallClock()
    {
        using var clock = new RunningClock(() => _now, startTimer: false);
        for (int s = 1; s <= 30; s++)
        {
            At(s);
            clock.Tick();
        }

        Assert.Equal(30, clock.Elapsed.TotalSeconds, 6);
        Assert.Equal(TimeSpan.Zero, clock.Suspended());
    }

    [Fact]
    public void Elapsed_AMinuteWithoutTicks_LeavesItOutLessOneTick()
    {
        using var clock = new RunningClock(() => _now, startTimer: false);
        At(1);
        clock.Tick();
        At(2);
        clock.Tick();
        At(62); // SIGSTOP from 2 s to about 61 s
        clock.Tick();
        At(63);
        clock.Tick();

        Assert.Equal(59, clock.Suspended().TotalSeconds, 6);
        Assert.Equal(4, clock.Elapsed.TotalSeconds, 6);

        At(100); // suspended again, still in progress: Elapsed leaves it out before the next tick
        Assert.Equal(5, clock.Elapsed.TotalSeconds, 6);
    }

    [Fact]
    public void Elapsed_GapBelowTheThreshold_CountsInFull()
    {
        using var clock = new RunningClock(() => _now, startTimer: false);
        At(9); // a 9 s gap (a long GC pause, a slow step): not a suspension
        clock.Tick();

        Assert.Equal(9, clock.Elapsed.TotalSeconds, 6);
    }

    [Fact]
    public void RealClock_TicksOnItsOwn_AndMeasuresWallTimeWhenNotSuspended()
    {
        using var clock = new RunningClock();
        Thread.Sleep(1500);

        Assert.InRange(clock.Elapsed.TotalSeconds, 1.4, 5);
        Assert.Equal(TimeSpan.Zero, clock.Suspended());
    }
}
