using System.Globalization;

namespace Leap.Evaluation;

/// <summary>
/// Mean of the per-class mean angles over a group of classes, with the half-width of a 95% confidence interval,
/// 1.96 * (sample standard deviation, ddof = 1) / sqrt(ClassCount). Mean is NaN for no classes, HalfWidth95 for
/// fewer than two.
/// </summary>
public sealed record GroupAngularSpread(int ClassCount, double Mean, double HalfWidth95)
{
    public static GroupAngularSpread Of(IReadOnlyCollection<double> classAngles)
    {
        ArgumentNullException.ThrowIfNull(classAngles);
        int n = classAngles.Count;
        if (n == 0)
        {
            return new GroupAngularSpread(0, double.NaN, double.NaN);
        }

        double mean = classAngles.Average();
        if (n == 1)
        {
            return new GroupAngularSpread(1, mean, double.NaN);
        }

        double variance = classAngles.Sum(a => (a - mean) * (a - mean)) / (n - 1);
        return new GroupAngularSpread(n, mean, 1.96 * Math.Sqrt(variance) / Math.Sqrt(n));
    }

    /// <summary>As the paper prints it, e.g. "0.463 ± 0.030".</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Mean:F3} ± {HalfWidth95:F3} ({ClassCount} classes)");
}
