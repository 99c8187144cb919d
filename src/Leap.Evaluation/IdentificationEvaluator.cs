namespace Leap.Evaluation;

/// <summary>
/// MegaFace-style rank-1 identification: for every ordered pair (i, j), i != j, of probe images of one identity, the
/// gallery is image j plus all distractors, and the trial is correct when probe i is strictly more similar to j than
/// to every distractor (a tie with a distractor counts as a miss: the distractor could be ranked first). Similarity is
/// the cosine of the embeddings. Identities with a single probe image give no trial.
/// </summary>
public static class IdentificationEvaluator
{
    public static IdentificationReport Evaluate(Embeddings probes, IReadOnlyList<int> identities, Embeddings distractors)
    {
        ArgumentNullException.ThrowIfNull(probes);
        ArgumentNullException.ThrowIfNull(identities);
        ArgumentNullException.ThrowIfNull(distractors);
        if (probes.Dimension != distractors.Dimension)
        {
            throw new ArgumentException($"Probe embeddings have {probes.Dimension} dimensions, distractors {distractors.Dimension}.", nameof(distractors));
        }
        double[][] p = Enumerable.Range(0, probes.Count).Select(probes.NormalizedRow).ToArray();
        double[][] d = Enumerable.Range(0, distractors.Count).Select(distractors.NormalizedRow).ToArray();
        var probeScores = new double[p.Length * (long)p.Length];
        var distractorScores = new double[p.Length * (long)d.Length];
        for (int i = 0; i < p.Length; i++)
        {
            for (int j = 0; j < p.Length; j++)
            {
                probeScores[(i * (long)p.Length) + j] = Dot(p[i], p[j]);
            }
            for (int k = 0; k < d.Length; k++)
            {
                distractorScores[(i * (long)d.Length) + k] = Dot(p[i], d[k]);
            }
        }
        return EvaluateScores(probeScores, distractorScores, identities);
    }

    /// <param name="probeScores">Row-major [P, P] similarities between probe images (larger = more alike).</param>
    /// <param name="distractorScores">Row-major [P, M] similarities of each probe to each distractor.</param>
    /// <param name="identities">Identity of each probe image.</param>
    public static IdentificationReport EvaluateScores(ReadOnlySpan<double> probeScores, ReadOnlySpan<double> distractorScores, IReadOnlyList<int> identities)
    {
        ArgumentNullException.ThrowIfNull(identities);
        int n = identities.Count;
        if (probeScores.Length != n * (long)n)
        {
            throw new ArgumentException($"{probeScores.Length} probe scores for {n} probes (expected {n} x {n}).", nameof(probeScores));
        }
        if (n == 0 || distractorScores.Length % n != 0)
        {
            throw new ArgumentException($"{distractorScores.Length} distractor scores is not a multiple of {n} probes.", nameof(distractorScores));
        }
        int m = distractorScores.Length / n;
        long trials = 0;
        long correct = 0;
        for (int i = 0; i < n; i++)
        {
            double best = double.NegativeInfinity;
            foreach (double s in distractorScores.Slice(i * m, m))
            {
                best = double.IsNaN(s) ? throw new ArgumentException($"Distractor score of probe {i} is NaN.", nameof(distractorScores)) : Math.Max(best, s);
            }
            for (int j = 0; j < n; j++)
            {
                if (j == i || identities[j] != identities[i])
                {
                    continue;
                }
                double mate = probeScores[(i * n) + j];
                if (double.IsNaN(mate))
                {
                    throw new ArgumentException($"Score of probes {i} and {j} is NaN.", nameof(probeScores));
                }
                trials++;
                correct += mate > best ? 1 : 0;
            }
        }
        return new IdentificationReport(trials, correct, n, identities.Distinct().Count(), m);
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int k = 0; k < a.Length; k++)
        {
            sum += a[k] * b[k];
        }
        return sum;
    }
}
