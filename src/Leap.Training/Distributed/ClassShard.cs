namespace Leap.Training.Distributed;

/// <summary>
/// The contiguous class range [Start, Start + Count) whose classifier rows live on one rank: balanced as in
/// InsightFace's partial FC — count = C / W + (rank &lt; C % W), start = C / W * rank + min(rank, C % W).
/// </summary>
public readonly record struct ClassShard(int Start, int Count, int Rank, int WorldSize, int TotalClasses)
{
    public static ClassShard Whole(int classes) => new(0, classes, 0, 1, classes);

    /// <summary>Every class on rank <paramref name="rank"/> of <paramref name="worldSize"/>: the replicated classifier (<see cref="ClassifierPlacement.Replicated"/>).</summary>
    public static ClassShard Replicated(int totalClasses, int rank, int worldSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 2);
        if (rank < 0 || rank >= worldSize)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"Rank must lie in [0, {worldSize}).");
        }
        return new ClassShard(0, totalClasses, rank, worldSize, totalClasses);
    }

    /// <summary>
    /// One of several ranks holding every class (<see cref="Replicated"/>). A balanced shard of W &gt; 1 ranks never holds
    /// every class (it needs at least W classes), so the shape alone tells the two apart.
    /// </summary>
    public bool IsReplicated => WorldSize > 1 && Count == TotalClasses;

    public static ClassShard For(int totalClasses, int rank, int worldSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        if (rank < 0 || rank >= worldSize)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"Rank must lie in [0, {worldSize}).");
        }
        if (totalClasses < worldSize)
        {
            throw new ArgumentOutOfRangeException(nameof(totalClasses), totalClasses, $"{totalClasses} classes cannot be split over {worldSize} ranks.");
        }
        int baseCount = totalClasses / worldSize;
        int remainder = totalClasses % worldSize;
        return new ClassShard(baseCount * rank + Math.Min(rank, remainder), baseCount + (rank < remainder ? 1 : 0), rank, worldSize, totalClasses);
    }

    public bool Contains(long classId) => classId >= Start && classId < Start + Count;
}
