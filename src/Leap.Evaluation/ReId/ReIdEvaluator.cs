namespace Leap.Evaluation.ReId;

/// <summary>
/// Re-ID evaluation with the Market-1501 rules. For each query the gallery is ranked by distance, ascending, ties
/// broken by gallery index (a stable sort). Gallery images of the query's person seen by the query's camera are
/// removed, and so are junk images (person id -1); a match is a remaining image of the query's person. A query with
/// no match left is skipped. CMC(r) counts a query if its first match is within the first r remaining images. The
/// average precision of a query is the mean, over its matches, of the precision at the match's rank (the standard
/// non-interpolated AP of open-reid, torchreid and fast-reid, not the Market-1501 MATLAB trapezoid).
/// </summary>
public static class ReIdEvaluator
{
    public const int DefaultMaxRank = 50;

    /// <summary>Distances 1 - cosine between the L2-normalised query and gallery embeddings, then <see cref="EvaluateDistances"/>.</summary>
    public static ReIdReport Evaluate(
        Embeddings query, IReadOnlyList<ReIdLabel> queryLabels, Embeddings gallery, IReadOnlyList<ReIdLabel> galleryLabels, int maxRank = DefaultMaxRank)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(gallery);
        if (query.Dimension != gallery.Dimension)
        {
            throw new ArgumentException($"Query embeddings have {query.Dimension} dimensions, gallery {gallery.Dimension}.", nameof(gallery));
        }

        double[][] galleryUnits = Enumerable.Range(0, gallery.Count).Select(gallery.NormalizedRow).ToArray();
        var distances = new double[query.Count * (long)gallery.Count];
        for (int q = 0; q < query.Count; q++)
        {
            double[] unit = query.NormalizedRow(q);
            for (int g = 0; g < gallery.Count; g++)
            {
                double dot = 0;
                double[] other = galleryUnits[g];
                for (int k = 0; k < unit.Length; k++)
                {
                    dot += unit[k] * other[k];
                }

                distances[(q * (long)gallery.Count) + g] = 1 - dot;
            }
        }

        return EvaluateDistances(distances, queryLabels, galleryLabels, maxRank);
    }

    /// <param name="distances">Row-major [queries, gallery] distances (smaller = more alike); NaN is refused.</param>
    /// <param name="maxRank">Length of the reported CMC curve.</param>
    public static ReIdReport EvaluateDistances(
        ReadOnlySpan<double> distances, IReadOnlyList<ReIdLabel> queryLabels, IReadOnlyList<ReIdLabel> galleryLabels, int maxRank = DefaultMaxRank)
    {
        ArgumentNullException.ThrowIfNull(queryLabels);
        ArgumentNullException.ThrowIfNull(galleryLabels);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRank, 1);
        int galleryCount = galleryLabels.Count;
        if (distances.Length != queryLabels.Count * (long)galleryCount)
        {
            throw new ArgumentException(
                $"{distances.Length} distances for {queryLabels.Count} queries x {galleryCount} gallery images.", nameof(distances));
        }

        var firstMatchCounts = new long[maxRank];
        double apSum = 0;
        int valid = 0;
        int skipped = 0;
        var order = new int[galleryCount];
        var keys = new double[galleryCount];
        for (int q = 0; q < queryLabels.Count; q++)
        {
            ReadOnlySpan<double> row = distances.Slice(q * galleryCount, galleryCount);
            for (int g = 0; g < galleryCount; g++)
            {
                if (double.IsNaN(row[g]))
                {
                    throw new ArgumentException($"Distance ({q}, {g}) is NaN.", nameof(distances));
                }

                order[g] = g;
                keys[g] = row[g];
            }

            SortStable(keys, order);
            if (RankQuery(order, queryLabels[q], galleryLabels) is not { } ranked)
            {
                skipped++;
                continue;
            }

            valid++;
            apSum += ranked.AveragePrecision;
            if (ranked.FirstMatchRank <= maxRank)
            {
                firstMatchCounts[ranked.FirstMatchRank - 1]++;
            }
        }

        var cmc = new double[maxRank];
        long cumulative = 0;
        for (int r = 0; r < maxRank; r++)
        {
            cumulative += firstMatchCounts[r];
            cmc[r] = valid == 0 ? 0 : (double)cumulative / valid;
        }

        return new ReIdReport(cmc, valid == 0 ? 0 : apSum / valid, valid, skipped);
    }

    /// <summary>
    /// Sorts <paramref name="order"/> by <paramref name="keys"/> ascending (both permuted together), then puts each run
    /// of equal keys back in index order: the result of a stable sort, at the speed of the primitive-key sort.
    /// </summary>
    private static void SortStable(double[] keys, int[] order)
    {
        Array.Sort(keys, order);
        int start = 0;
        while (start < keys.Length)
        {
            int end = start + 1;
            while (end < keys.Length && keys[end] == keys[start])
            {
                end++;
            }

            if (end - start > 1)
            {
                Array.Sort(order, start, end - start);
            }

            start = end;
        }
    }

    /// <summary>First-match rank (1-based, among kept images) and AP of one query, or null without a match.</summary>
    private static (int FirstMatchRank, double AveragePrecision)? RankQuery(int[] order, ReIdLabel query, IReadOnlyList<ReIdLabel> gallery)
    {
        int kept = 0;
        int matches = 0;
        int firstMatch = 0;
        double precisionSum = 0;
        foreach (int g in order)
        {
            ReIdLabel candidate = gallery[g];
            bool sameView = candidate.PersonId == query.PersonId && candidate.CameraId == query.CameraId;
            if (candidate.IsJunk || sameView)
            {
                continue;
            }

            kept++;
            if (candidate.PersonId == query.PersonId)
            {
                matches++;
                precisionSum += (double)matches / kept;
                if (firstMatch == 0)
                {
                    firstMatch = kept;
                }
            }
        }

        return matches == 0 ? null : (firstMatch, precisionSum / matches);
    }
}
