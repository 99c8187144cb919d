using System.Globalization;

namespace Leap.Benchmarks.Quality;

/// <summary>
/// Method B against method A over the seeds both finished. Cells of one seed share the initialisation and the batch
/// order, so the per-seed differences d_s = B_s - A_s are compared (a paired t-test): mean difference, its standard
/// error sd(d) / sqrt(n), t = mean / SE, and whether |t| exceeds Student's two-sided 95% critical value for n - 1
/// degrees of freedom.
/// </summary>
public sealed record PairedSeedComparison(int Seeds, double MeanDifference, double StandardError, double T, double CriticalT)
{
    /// <summary>Student's t 0.975 quantiles for 1..30 degrees of freedom (beyond, a Cornish-Fisher expansion).</summary>
    private static readonly double[] Quantiles975 =
    [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];

    /// <summary>Student's t 0.80 quantiles for 1..30 degrees of freedom (beyond, the normal 0.8416): the 80%-power term.</summary>
    private static readonly double[] Quantiles80 =
    [
        1.376, 1.061, 0.978, 0.941, 0.920, 0.906, 0.896, 0.889, 0.883, 0.879,
        0.876, 0.873, 0.870, 0.868, 0.866, 0.865, 0.863, 0.862, 0.861, 0.860,
        0.859, 0.858, 0.858, 0.857, 0.856, 0.856, 0.855, 0.855, 0.854, 0.854,
    ];

    /// <summary>
    /// The smallest true mean difference this paired test detects with 80% power at 5% (two-sided), given the observed
    /// spread: (t_0.975 + t_0.80) x SE, both with n - 1 degrees of freedom. NaN when there is no spread.
    /// </summary>
    public double DetectableDifference => StandardError > 0 ? (CriticalT + PowerQuantile(Seeds - 1)) * StandardError : double.NaN;

    private static double PowerQuantile(int degreesOfFreedom) =>
        degreesOfFreedom <= Quantiles80.Length ? Quantiles80[Math.Max(1, degreesOfFreedom) - 1] : 0.8416;

    /// <summary>False when the per-seed differences are all equal (T is NaN): a t-test has no spread to judge them by.</summary>
    public bool Significant => Seeds >= 2 && !double.IsNaN(T) && Math.Abs(T) > CriticalT;

    /// <summary>The comparison over the seeds present in both, or null when fewer than two seeds are shared.</summary>
    public static PairedSeedComparison? Of(IReadOnlyDictionary<long, double> a, IReadOnlyDictionary<long, double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        double[] differences = [.. a.Keys.Intersect(b.Keys).Order().Select(seed => b[seed] - a[seed])];
        int n = differences.Length;
        if (n < 2)
        {
            return null;
        }

        double mean = differences.Average();
        double sd = Math.Sqrt(differences.Sum(d => (d - mean) * (d - mean)) / (n - 1));
        // Differences equal up to rounding (e.g. the same one query gained on every seed) leave no spread to test against.
        if (sd <= 1e-9 * Math.Max(1, Math.Abs(mean)))
        {
            return new PairedSeedComparison(n, mean, 0, double.NaN, CriticalValue(n - 1));
        }

        double error = sd / Math.Sqrt(n);
        return new PairedSeedComparison(n, mean, error, mean / error, CriticalValue(n - 1));
    }

    public static double CriticalValue(int degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        if (degreesOfFreedom <= Quantiles975.Length)
        {
            return Quantiles975[degreesOfFreedom - 1];
        }

        // t = z + (z^3 + z) / 4v + (5z^5 + 16z^3 + 3z) / 96v^2 + ..., z the normal quantile: 2.0395 at v = 31 (exact 2.0395).
        const double z = 1.959963984540054;
        double v = degreesOfFreedom;
        double z3 = z * z * z;
        double z5 = z3 * z * z;
        return z + ((z3 + z) / (4 * v)) + (((5 * z5) + (16 * z3) + (3 * z)) / (96 * v * v)) + (((3 * z5 * z * z) + (19 * z5) + (17 * z3) - (15 * z)) / (384 * v * v * v));
    }

    /// <summary>"-1.20 ± 0.45 (t = -2.7, n = 3: within noise)"; differences in the caller's units, with <paramref name="decimals"/> decimals.</summary>
    public string Describe(string higher = "better", string lower = "worse", int decimals = 2)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        string digits = new('0', decimals);
        string value = decimals == 0 ? "0" : "0." + digits;
        string mean = MeanDifference.ToString($"+{value};-{value}", CultureInfo.InvariantCulture);
        if (double.IsNaN(T))
        {
            return $"{mean} on every seed (n = {Seeds}: no spread, not tested)";
        }

        string verdict = !Significant ? "within noise" : MeanDifference > 0 ? higher : lower;
        return string.Create(CultureInfo.InvariantCulture,
            $"{mean} ± {StandardError.ToString(value, CultureInfo.InvariantCulture)} (t = {T:+0.0;-0.0}, n = {Seeds}: {verdict})");
    }
}
