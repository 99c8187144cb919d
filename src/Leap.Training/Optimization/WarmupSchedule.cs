namespace Leap.Training.Optimization;

/// <summary>Linear warm-up from base/warmup to the inner schedule's rate over the first <paramref name="warmupSteps"/> steps.</summary>
public sealed class WarmupSchedule(ILearningRateSchedule inner, long warmupSteps) : ILearningRateSchedule
{
    public double At(long step) => step < warmupSteps ? inner.At(step) * (step + 1) / warmupSteps : inner.At(step);
}
