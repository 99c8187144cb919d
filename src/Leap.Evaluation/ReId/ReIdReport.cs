namespace Leap.Evaluation.ReId;

/// <summary>Re-ID retrieval metrics over the queries that have at least one valid match in the gallery.</summary>
/// <param name="Cmc">Cmc[r - 1]: fraction of valid queries whose first match is at rank r or better.</param>
/// <param name="MeanAveragePrecision">Mean over valid queries of the average precision of the ranking.</param>
/// <param name="ValidQueries">Queries evaluated.</param>
/// <param name="SkippedQueries">Queries with no valid match in the gallery (left out of every mean, as Market-1501 does).</param>
public sealed record ReIdReport(IReadOnlyList<double> Cmc, double MeanAveragePrecision, int ValidQueries, int SkippedQueries)
{
    /// <summary>CMC at rank <paramref name="rank"/> (1-based); past the gallery's end the last value holds.</summary>
    public double RankAt(int rank)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        return Cmc.Count == 0 ? 0 : Cmc[Math.Min(rank, Cmc.Count) - 1];
    }
}
