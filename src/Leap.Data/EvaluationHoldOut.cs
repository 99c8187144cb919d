namespace Leap.Data;

/// <summary>
/// Holds images of each class out of training for evaluation, before the long-tail split: a class with more than
/// <c>perClass</c> images gives exactly <c>perClass</c> of them, drawn without replacement by a generator seeded from
/// (seed, class id), so the choice does not depend on the other classes. Smaller classes give none.
/// </summary>
public static class EvaluationHoldOut
{
    /// <summary>Keeps the held-out draws apart from the tail-sample draws of the same seed.</summary>
    private const long Stream = 0x4E0D_5EED;

    /// <returns>A copy of <paramref name="labels"/> in which held-out samples are <see cref="LongTailSplitBuilder.HeldOut"/>.</returns>
    public static int[] Apply(IReadOnlyList<int> labels, int perClass, long seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegative(perClass);
        int[] result = labels.ToArray();
        if (perClass == 0)
        {
            return result;
        }

        foreach (IGrouping<int, int> members in Enumerable.Range(0, result.Length).GroupBy(i => result[i]))
        {
            int[] pool = members.ToArray();
            if (pool.Length <= perClass)
            {
                continue;
            }

            var rng = SplitMix64.ForStream(seed ^ Stream, members.Key);
            for (int i = 0; i < perClass; i++)
            {
                int j = i + rng.NextInt(pool.Length - i);
                (pool[i], pool[j]) = (pool[j], pool[i]);
                result[pool[i]] = LongTailSplitBuilder.HeldOut;
            }
        }

        return result;
    }
}
