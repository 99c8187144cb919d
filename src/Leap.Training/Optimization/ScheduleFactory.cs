using Leap.Training.Configuration;

namespace Leap.Training.Optimization;

public static class ScheduleFactory
{
    public static ILearningRateSchedule Create(ScheduleOptions options, double rate, long totalSteps)
    {
        ArgumentNullException.ThrowIfNull(options);
        ILearningRateSchedule schedule = options.Kind switch
        {
            ScheduleKind.Constant => new ConstantSchedule(rate),
            ScheduleKind.Step => new StepSchedule(rate, options.Milestones, options.Gamma),
            ScheduleKind.Cosine => new CosineSchedule(rate, options.MinimumLearningRate, totalSteps),
            ScheduleKind.Triangular => new TriangularSchedule(options.MinimumLearningRate, rate, options.HalfCycleSteps),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Kind, "Unknown schedule."),
        };
        return options.WarmupSteps > 0 ? new WarmupSchedule(schedule, options.WarmupSteps) : schedule;
    }
}
