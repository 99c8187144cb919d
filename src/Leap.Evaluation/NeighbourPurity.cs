namespace Leap.Evaluation;

/// <summary>
/// k-nearest-neighbour purity of labelled points: for each point, the fraction of its k nearest other points
/// (Euclidean) that share its label, averaged over all points. 1 = every neighbourhood is a single class.
/// </summary>
public static class NeighbourPurity
{
    /// <param name="points">n points as rows of equal length.</param>
    public static double Compute(IReadOnlyList<double[]> points, IReadOnlyList<int> labels, int k)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        int n = points.Count;
        if (labels.Count != n)
        {
            throw new ArgumentException($"{labels.Count} labels for {n} points.", nameof(labels));
        }

        if (k >= n)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be below the number of points ({n}).");
        }

        double total = 0;
        var distances = new (double Distance, int Index)[n - 1];
        for (int i = 0; i < n; i++)
        {
            int m = 0;
            for (int j = 0; j < n; j++)
            {
                if (j != i)
                {
                    distances[m++] = (SquaredDistance(points[i], points[j]), j);
                }
            }

            Array.Sort(distances);
            int same = 0;
            for (int r = 0; r < k; r++)
            {
                same += labels[distances[r].Index] == labels[i] ? 1 : 0;
            }

            total += (double)same / k;
        }

        return total / n;
    }

    private static double SquaredDistance(double[] a, double[] b)
    {
        double sum = 0;
        for (int d = 0; d < a.Length; d++)
        {
            sum += (a[d] - b[d]) * (a[d] - b[d]);
        }

        return sum;
    }
}
