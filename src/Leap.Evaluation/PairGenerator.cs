using Leap.Data;

namespace Leap.Evaluation;

/// <summary>
/// Draws verification pairs from labelled samples: positives uniformly among all same-label pairs, negatives
/// uniformly among all different-label pairs, without duplicates (a pair is unordered) and never (i, i).
/// The result is shuffled so that contiguous k-fold splits mix positives and negatives. Deterministic for a seed.
/// </summary>
public static class PairGenerator
{
    public static PairSet Generate(IReadOnlyList<int> labels, int positives, int negatives, long seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegative(positives);
        ArgumentOutOfRangeException.ThrowIfNegative(negatives);

        int[][] classes = labels
            .Select((label, index) => (label, index))
            .GroupBy(x => x.label)
            .OrderBy(g => g.Key)
            .Select(g => g.Select(x => x.index).ToArray())
            .ToArray();
        long n = labels.Count;
        long availablePositives = classes.Sum(c => (long)c.Length * (c.Length - 1) / 2);
        long availableNegatives = n * (n - 1) / 2 - availablePositives;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(positives, availablePositives);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(negatives, availableNegatives);

        var rng = new SplitMix64(unchecked((ulong)seed));
        var pairs = new List<VerificationPair>(positives + negatives);
        pairs.AddRange(DrawPositives(classes, positives, availablePositives, ref rng));
        pairs.AddRange(DrawNegatives(labels, negatives, availableNegatives, ref rng));
        for (int i = pairs.Count - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (pairs[i], pairs[j]) = (pairs[j], pairs[i]);
        }

        return new PairSet(pairs);
    }

    private static IEnumerable<VerificationPair> DrawPositives(int[][] classes, int count, long available, ref SplitMix64 rng)
    {
        if ((long)count * 2 > available)
        {
            var all = new List<(int, int)>();
            foreach (int[] members in classes)
            {
                for (int a = 0; a < members.Length; a++)
                {
                    for (int b = a + 1; b < members.Length; b++)
                    {
                        all.Add((members[a], members[b]));
                    }
                }
            }

            return ChooseSubset(all, count, ref rng).Select(p => new VerificationPair(p.Item1, p.Item2, true));
        }

        long[] cumulative = new long[classes.Length];
        long total = 0;
        for (int c = 0; c < classes.Length; c++)
        {
            total += (long)classes[c].Length * (classes[c].Length - 1) / 2;
            cumulative[c] = total;
        }

        var chosen = new HashSet<(int, int)>();
        var result = new List<VerificationPair>(count);
        while (result.Count < count)
        {
            long r = rng.NextLong(total);
            int c = Array.BinarySearch(cumulative, r + 1);
            c = c >= 0 ? c : ~c;
            while (c > 0 && cumulative[c - 1] > r)
            {
                c--;
            }

            int[] members = classes[c];
            int a = rng.NextInt(members.Length);
            int b = rng.NextInt(members.Length - 1);
            b = b >= a ? b + 1 : b;
            (int, int) key = (Math.Min(members[a], members[b]), Math.Max(members[a], members[b]));
            if (chosen.Add(key))
            {
                result.Add(new VerificationPair(key.Item1, key.Item2, true));
            }
        }

        return result;
    }

    private static IEnumerable<VerificationPair> DrawNegatives(IReadOnlyList<int> labels, int count, long available, ref SplitMix64 rng)
    {
        if ((long)count * 2 > available)
        {
            var all = new List<(int, int)>();
            for (int a = 0; a < labels.Count; a++)
            {
                for (int b = a + 1; b < labels.Count; b++)
                {
                    if (labels[a] != labels[b])
                    {
                        all.Add((a, b));
                    }
                }
            }

            return ChooseSubset(all, count, ref rng).Select(p => new VerificationPair(p.Item1, p.Item2, false));
        }

        var chosen = new HashSet<(int, int)>();
        var result = new List<VerificationPair>(count);
        while (result.Count < count)
        {
            int a = rng.NextInt(labels.Count);
            int b = rng.NextInt(labels.Count);
            if (labels[a] == labels[b])
            {
                continue;
            }

            (int, int) key = (Math.Min(a, b), Math.Max(a, b));
            if (chosen.Add(key))
            {
                result.Add(new VerificationPair(key.Item1, key.Item2, false));
            }
        }

        return result;
    }

    private static List<(int, int)> ChooseSubset(List<(int, int)> all, int count, ref SplitMix64 rng)
    {
        for (int i = 0; i < count; i++)
        {
            int j = i + rng.NextInt(all.Count - i);
            (all[i], all[j]) = (all[j], all[i]);
        }

        return all.GetRange(0, count);
    }
}
