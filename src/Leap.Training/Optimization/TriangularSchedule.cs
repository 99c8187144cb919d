namespace Leap.Training.Optimization;

/// <summary>Triangular cyclical rate (Smith, 2017): linear between <paramref name="minimum"/> and <paramref name="maximum"/>, half a cycle every <paramref name="halfCycle"/> steps.</summary>
public sealed class TriangularSchedule(double minimum, double maximum, long halfCycle) : ILearningRateSchedule
{
    public double At(long step)
    {
        double cycle = Math.Floor(1 + step / (2.0 * halfCycle));
        double x = Math.Abs((double)step / halfCycle - 2 * cycle + 1);
        return minimum + (maximum - minimum) * Math.Max(0, 1 - x);
    }
}
