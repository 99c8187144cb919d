namespace Leap.Evaluation;

/// <summary>
/// The angle (radians) between each embedding and the centre of its class — the quantity whose distribution the
/// paper plots for head vs tail classes (Fig. 2/3). Same definitions as <see cref="AngularSpread"/>: the centre is the
/// mean of the class's unit vectors, the angle is 2 atan2(|x - u|, |x + u|), so the mean over a class equals its
/// <see cref="ClassAngularSpread.MeanAngle"/>.
/// </summary>
public static class CentreAngles
{
    /// <summary>One angle per row of <paramref name="embeddings"/>, in row order.</summary>
    public static double[] PerSample(Embeddings embeddings, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count != embeddings.Count)
        {
            throw new ArgumentException($"{labels.Count} labels for {embeddings.Count} embeddings.", nameof(labels));
        }

        var angles = new double[labels.Count];
        foreach (IGrouping<int, int> members in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]))
        {
            int[] rows = members.ToArray();
            double[][] units = rows.Select(embeddings.NormalizedRow).ToArray();
            double[] centre = UnitCentre(units, members.Key);
            for (int r = 0; r < rows.Length; r++)
            {
                angles[rows[r]] = Angle(units[r], centre);
            }
        }

        return angles;
    }

    /// <summary>The mean of the class's unit vectors, normalised (shared with <see cref="AngularSpread"/>).</summary>
    internal static double[] UnitCentre(double[][] units, int classId)
    {
        int d = units[0].Length;
        var centre = new double[d];
        foreach (double[] x in units)
        {
            for (int k = 0; k < d; k++)
            {
                centre[k] += x[k];
            }
        }

        double norm = Math.Sqrt(centre.Sum(v => v * v));
        if (norm == 0)
        {
            throw new ArgumentException($"Class {classId}'s unit embeddings sum to zero; its centre has no direction.");
        }

        for (int k = 0; k < d; k++)
        {
            centre[k] /= norm;
        }

        return centre;
    }

    /// <summary>2 atan2(|x - u|, |x + u|): the angle between unit vectors, accurate near 0 and pi.</summary>
    internal static double Angle(double[] x, double[] u)
    {
        double diff = 0, sum = 0;
        for (int k = 0; k < x.Length; k++)
        {
            diff += (x[k] - u[k]) * (x[k] - u[k]);
            sum += (x[k] + u[k]) * (x[k] + u[k]);
        }

        return 2 * Math.Atan2(Math.Sqrt(diff), Math.Sqrt(sum));
    }
}
