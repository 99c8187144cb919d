namespace Leap.Training.Optimization;

/// <summary>rate * gamma^(number of milestones &lt;= step).</summary>
public sealed class StepSchedule(double rate, IReadOnlyList<long> milestones, double gamma) : ILearningRateSchedule
{
    public double At(long step) => rate * Math.Pow(gamma, milestones.Count(m => step >= m));
}
