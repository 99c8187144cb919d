using Leap.Training.Configuration;
using Leap.Training.Optimization;

namespace Leap.Training.Tests;

public class ScheduleTests
{
    [Fact]
    public void Cosine_EndPoints_AreBaseAndMinimumAndMidpointIsTheMean()
    {
        var schedule = new CosineSchedule(0.1, 0.001, totalSteps: 101);

        Assert.Equal(0.1, schedule.At(0), 12);
        Assert.Equal(0.0505, schedule.At(50), 12);
        Assert.Equal(0.001, schedule.At(100), 12);
    }

    [Fact]
    public void Step_Milestones_MultiplyByGammaEachTime()
    {
        var schedule = new StepSchedule(0.1, [10, 20], 0.1);

        Assert.Equal(0.1, schedule.At(9), 12);
        Assert.Equal(0.01, schedule.At(10), 12);
        Assert.Equal(0.001, schedule.At(25), 12);
    }

    [Fact]
    public void Triangular_RisesToMaximumAtHalfCycleAndFallsBack()
    {
        var schedule = new TriangularSchedule(0.01, 0.1, halfCycle: 10);

        Assert.Equal(0.01, schedule.At(0), 12);
        Assert.Equal(0.055, schedule.At(5), 12);
        Assert.Equal(0.1, schedule.At(10), 12);
        Assert.Equal(0.01, schedule.At(20), 12);
        Assert.Equal(0.1, schedule.At(30), 12);
    }

    [Fact]
    public void Warmup_FirstSteps_RampLinearlyToTheInnerRate()
    {
        var schedule = ScheduleFactory.Create(new ScheduleOptions { Kind = ScheduleKind.Constant, WarmupSteps = 4 }, 0.2, 100);

        Assert.Equal(0.05, schedule.At(0), 12);
        Assert.Equal(0.15, schedule.At(2), 12);
        Assert.Equal(0.2, schedule.At(4), 12);
    }
}
