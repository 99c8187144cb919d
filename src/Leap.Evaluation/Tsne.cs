using Leap.Data;

namespace Leap.Evaluation;

/// <summary>
/// Exact t-SNE (van der Maaten &amp; Hinton, 2008) to two dimensions, O(n^2) per iteration — meant for a few hundred
/// points. Gaussian affinities with a per-point bandwidth found by binary search to the target perplexity, symmetrised
/// P = (P + P^T) / 2n; Student-t affinities Q in the embedding; gradient 4 sum_j (p_ij - q_ij)(y_i - y_j)/(1 + |y_i - y_j|^2)
/// followed with momentum, per-coordinate gains and early exaggeration of P. Deterministic for a seed.
/// </summary>
public static class Tsne
{
    private const double MinimumProbability = 1e-12;
    private const double MinimumGain = 0.01;

    /// <summary>The 2-D embedding of <paramref name="points"/> (n rows of equal length), one row per point.</summary>
    public static double[][] Embed(IReadOnlyList<double[]> points, TsneOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        options ??= new TsneOptions();
        int n = points.Count;
        options.Validate(n);
        double[,] p = JointProbabilities(SquaredDistances(points), options.Perplexity);
        var y = InitialLayout(n, options.Seed);
        var update = new double[n, 2];
        var gains = new double[n, 2];
        for (int i = 0; i < n; i++)
        {
            gains[i, 0] = gains[i, 1] = 1;
        }

        var gradient = new double[n, 2];
        var q = new double[n, n];
        for (int iteration = 0; iteration < options.Iterations; iteration++)
        {
            bool early = iteration < options.ExaggerationIterations;
            double exaggeration = early ? options.EarlyExaggeration : 1;
            double momentum = early ? options.InitialMomentum : options.FinalMomentum;
            Gradient(p, y, exaggeration, q, gradient);
            for (int i = 0; i < n; i++)
            {
                for (int d = 0; d < 2; d++)
                {
                    bool sameSign = Math.Sign(gradient[i, d]) == Math.Sign(update[i, d]);
                    gains[i, d] = Math.Max(MinimumGain, sameSign ? gains[i, d] * 0.8 : gains[i, d] + 0.2);
                    update[i, d] = (momentum * update[i, d]) - (options.LearningRate * gains[i, d] * gradient[i, d]);
                    y[i][d] += update[i, d];
                }
            }

            Centre(y);
        }

        return y;
    }

    /// <summary>
    /// The symmetrised input affinities P of <paramref name="points"/>: each row's Gaussian bandwidth matched to the
    /// perplexity, then (P + P^T) / 2n (zero diagonal, sums to 1).
    /// </summary>
    public static double[,] JointProbabilities(IReadOnlyList<double[]> points, double perplexity)
    {
        ArgumentNullException.ThrowIfNull(points);
        new TsneOptions { Perplexity = perplexity }.Validate(points.Count);
        return JointProbabilities(SquaredDistances(points), perplexity);
    }

    private static double[,] JointProbabilities(double[,] distances, double perplexity)
    {
        int n = distances.GetLength(0);
        var conditional = new double[n, n];
        double targetEntropy = Math.Log(perplexity);
        var row = new double[n];
        for (int i = 0; i < n; i++)
        {
            double beta = 1, low = double.NegativeInfinity, high = double.PositiveInfinity;
            for (int attempt = 0; attempt < 200; attempt++)
            {
                double entropy = RowEntropy(distances, i, beta, row);
                double error = entropy - targetEntropy;
                if (Math.Abs(error) < 1e-6)
                {
                    break;
                }

                // Entropy falls as beta (precision) grows.
                if (error > 0)
                {
                    low = beta;
                    beta = double.IsPositiveInfinity(high) ? beta * 2 : (beta + high) / 2;
                }
                else
                {
                    high = beta;
                    beta = double.IsNegativeInfinity(low) ? beta / 2 : (beta + low) / 2;
                }
            }

            for (int j = 0; j < n; j++)
            {
                conditional[i, j] = row[j];
            }
        }

        var joint = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                joint[i, j] = i == j ? 0 : Math.Max((conditional[i, j] + conditional[j, i]) / (2.0 * n), MinimumProbability);
            }
        }

        return joint;
    }

    /// <summary>Fills <paramref name="row"/> with p_j|i for precision beta and returns its Shannon entropy (nats).</summary>
    private static double RowEntropy(double[,] distances, int i, double beta, double[] row)
    {
        int n = row.Length;
        double minimum = double.PositiveInfinity;
        for (int j = 0; j < n; j++)
        {
            if (j != i)
            {
                minimum = Math.Min(minimum, distances[i, j]);
            }
        }

        double sum = 0, weighted = 0;
        for (int j = 0; j < n; j++)
        {
            // Shifting by the nearest distance leaves p unchanged and keeps exp from underflowing for large beta.
            row[j] = j == i ? 0 : Math.Exp(-beta * (distances[i, j] - minimum));
            sum += row[j];
            weighted += row[j] * (distances[i, j] - minimum);
        }

        for (int j = 0; j < n; j++)
        {
            row[j] /= sum;
        }

        return Math.Log(sum) + (beta * weighted / sum);
    }

    private static void Gradient(double[,] p, double[][] y, double exaggeration, double[,] q, double[,] gradient)
    {
        int n = y.Length;
        double z = 0;
        for (int i = 0; i < n; i++)
        {
            q[i, i] = 0;
            for (int j = i + 1; j < n; j++)
            {
                double dx = y[i][0] - y[j][0], dy = y[i][1] - y[j][1];
                double kernel = 1 / (1 + (dx * dx) + (dy * dy));
                q[i, j] = q[j, i] = kernel;
                z += 2 * kernel;
            }
        }

        for (int i = 0; i < n; i++)
        {
            double gx = 0, gy = 0;
            for (int j = 0; j < n; j++)
            {
                if (j == i)
                {
                    continue;
                }

                double kernel = q[i, j];
                double force = ((exaggeration * p[i, j]) - Math.Max(kernel / z, MinimumProbability)) * kernel;
                gx += force * (y[i][0] - y[j][0]);
                gy += force * (y[i][1] - y[j][1]);
            }

            gradient[i, 0] = 4 * gx;
            gradient[i, 1] = 4 * gy;
        }
    }

    private static double[,] SquaredDistances(IReadOnlyList<double[]> points)
    {
        int n = points.Count;
        var distances = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            if (points[i].Length != points[0].Length)
            {
                throw new ArgumentException($"Point {i} has {points[i].Length} coordinates, point 0 has {points[0].Length}.", nameof(points));
            }

            for (int j = i + 1; j < n; j++)
            {
                double sum = 0;
                for (int d = 0; d < points[i].Length; d++)
                {
                    double diff = points[i][d] - points[j][d];
                    sum += diff * diff;
                }

                distances[i, j] = distances[j, i] = sum;
            }
        }

        return distances;
    }

    /// <summary>Small Gaussian noise (sd 1e-4) from a seeded <see cref="SplitMix64"/> stream through Box-Muller.</summary>
    private static double[][] InitialLayout(int n, ulong seed)
    {
        var y = new double[n][];
        var random = new SplitMix64(seed);
        const double TwoTo53 = 9007199254740992.0;
        for (int i = 0; i < n; i++)
        {
            y[i] = new double[2];
            for (int d = 0; d < 2; d++)
            {
                double u1 = ((random.NextUInt64() >> 11) + 1.0) / (TwoTo53 + 1);
                double u2 = (random.NextUInt64() >> 11) / TwoTo53;
                y[i][d] = 1e-4 * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            }
        }

        return y;
    }

    private static void Centre(double[][] y)
    {
        for (int d = 0; d < 2; d++)
        {
            double mean = y.Average(row => row[d]);
            foreach (double[] row in y)
            {
                row[d] -= mean;
            }
        }
    }
}
