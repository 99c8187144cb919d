namespace Leap.Training.Optimization;

/// <summary>Cosine annealing from <paramref name="rate"/> to <paramref name="minimum"/> over <paramref name="totalSteps"/>.</summary>
public sealed class CosineSchedule(double rate, double minimum, long totalSteps) : ILearningRateSchedule
{
    public double At(long step)
    {
        double progress = Math.Clamp((double)step / Math.Max(1, totalSteps - 1), 0, 1);
        return minimum + (rate - minimum) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
