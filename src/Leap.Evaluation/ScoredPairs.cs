namespace Leap.Evaluation;

/// <summary>Scores with their same/different flags, validated once; shared input of the verification metrics.</summary>
internal static class ScoredPairs
{
    public static void Validate(ReadOnlySpan<double> scores, ReadOnlySpan<bool> isSame)
    {
        if (scores.Length != isSame.Length)
        {
            throw new ArgumentException($"{scores.Length} scores but {isSame.Length} same/different flags.", nameof(isSame));
        }

        for (int i = 0; i < scores.Length; i++)
        {
            if (double.IsNaN(scores[i]))
            {
                throw new ArgumentException($"Score {i} is NaN.", nameof(scores));
            }
        }
    }

    /// <summary>Pair indices ordered by score ascending (stable).</summary>
    public static int[] OrderByScore(ReadOnlySpan<double> scores, IEnumerable<int> indices)
    {
        double[] copy = scores.ToArray();
        return indices.OrderBy(i => copy[i]).ToArray();
    }
}
