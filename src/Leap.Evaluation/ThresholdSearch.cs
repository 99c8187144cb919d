namespace Leap.Evaluation;

/// <summary>
/// Best accuracy threshold for the rule "same iff score &gt; threshold". Candidates, ascending: u_0 - 1 (accept all),
/// the midpoints (u_k + u_k+1) / 2 of consecutive distinct scores, and u_max + 1 (reject all). Tied scores are
/// always on the same side of every candidate. Among equally accurate candidates the smallest wins.
/// </summary>
internal static class ThresholdSearch
{
    public static double BestThreshold(ReadOnlySpan<double> scores, ReadOnlySpan<bool> isSame, IReadOnlyList<int> indices)
    {
        if (indices.Count == 0)
        {
            throw new ArgumentException("Cannot choose a threshold from no pairs.", nameof(indices));
        }

        int[] order = ScoredPairs.OrderByScore(scores, indices);
        int correct = 0;
        foreach (int i in order)
        {
            correct += isSame[i] ? 1 : 0;
        }

        int bestCorrect = correct;
        double best = scores[order[0]] - 1;
        int k = 0;
        while (k < order.Length)
        {
            double u = scores[order[k]];
            while (k < order.Length && scores[order[k]] == u)
            {
                correct += isSame[order[k]] ? -1 : 1;
                k++;
            }

            double candidate = k < order.Length ? (u + scores[order[k]]) / 2 : u + 1;
            if (correct > bestCorrect)
            {
                bestCorrect = correct;
                best = candidate;
            }
        }

        return best;
    }

    public static double Accuracy(ReadOnlySpan<double> scores, ReadOnlySpan<bool> isSame, IReadOnlyList<int> indices, double threshold)
    {
        int correct = 0;
        foreach (int i in indices)
        {
            if ((scores[i] > threshold) == isSame[i])
            {
                correct++;
            }
        }

        return (double)correct / indices.Count;
    }
}
