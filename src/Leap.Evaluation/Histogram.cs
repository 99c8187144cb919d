namespace Leap.Evaluation;

/// <summary>
/// Counts of values in <see cref="BinCount"/> equal-width bins over [Minimum, Maximum]. Bin b holds
/// [Minimum + b w, Minimum + (b + 1) w); the last bin also holds Maximum. Values outside the range (and only those)
/// are counted in the nearest end bin, so the counts always sum to the number of values.
/// </summary>
public sealed record Histogram(double Minimum, double Maximum, IReadOnlyList<long> Counts)
{
    public int BinCount => Counts.Count;
    public double BinWidth => (Maximum - Minimum) / BinCount;
    public long Total => Counts.Sum();

    public double BinCentre(int bin) => Minimum + ((bin + 0.5) * BinWidth);

    /// <summary>Count / (total * bin width): integrates to 1, so groups of different sizes compare.</summary>
    public double Density(int bin) => Total == 0 ? 0 : Counts[bin] / (Total * BinWidth);

    public static Histogram Of(IEnumerable<double> values, double minimum, double maximum, int bins)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bins);
        if (!(maximum > minimum) || !double.IsFinite(minimum) || !double.IsFinite(maximum))
        {
            throw new ArgumentException($"The range [{minimum}, {maximum}] must be finite and non-empty.", nameof(maximum));
        }

        var counts = new long[bins];
        double width = (maximum - minimum) / bins;
        foreach (double v in values)
        {
            if (double.IsNaN(v))
            {
                throw new ArgumentException("A value is NaN; it belongs to no bin.", nameof(values));
            }

            counts[Math.Clamp((int)Math.Floor((v - minimum) / width), 0, bins - 1)]++;
        }

        return new Histogram(minimum, maximum, counts);
    }
}
