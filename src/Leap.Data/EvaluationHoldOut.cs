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

        // Members of each class, contiguous in one array (counting sort by label): 4 bytes per sample, not a list per class.
        var count = new Dictionary<int, int>();
        foreach (int label in result)
        {
            count[label] = count.GetValueOrDefault(label) + 1;
        }

        var start = new Dictionary<int, int>(count.Count);
        int next = 0;
        foreach (var (label, n) in count)
        {
            start[label] = next;
            next += n;
        }

        var members = new int[result.Length];
        var filled = new Dictionary<int, int>(start);
        for (int i = 0; i < result.Length; i++)
        {
            members[filled[result[i]]++] = i;
        }

        foreach (var (classId, n) in count)
        {
            if (n <= perClass)
            {
                continue;
            }

            Span<int> pool = members.AsSpan(start[classId], n);
            var rng = SplitMix64.ForStream(seed ^ Stream, classId);
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
