namespace Leap.Data;

/// <summary>
/// Builds the paper's long-tail split. Classes are ranked by sample count, descending, ties broken by class id
/// ascending. The first H keep every sample (head); the next T are cut to S samples each, drawn without replacement
/// by a generator seeded from (seed, class id), so a class's draw does not depend on H, T or the other classes
/// (tail); every later class is dropped. The same labels and options always give the same manifest.
/// </summary>
public sealed class LongTailSplitBuilder
{
    public LongTailSplitBuilder(LongTailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
    }

    public LongTailOptions Options { get; }

    /// <summary>The label that marks a sample as held out of the split (it keeps its source index but is never kept).</summary>
    public const int HeldOut = -1;

    /// <param name="labels">Class id (>= 0) of each source sample, or <see cref="HeldOut"/> for a sample kept out of training (an evaluation image).</param>
    /// <exception cref="ArgumentException">A label is below -1, or H + T exceeds the classes present.</exception>
    public LongTailManifest Build(IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        Dictionary<int, List<int>> byClass = GroupByClass(labels);
        int[] ranked = byClass.Keys
            .OrderByDescending(id => byClass[id].Count)
            .ThenBy(id => id)
            .ToArray();

        int head = Options.HeadClasses;
        if (head > ranked.Length)
        {
            throw new ArgumentException(
                $"HeadClasses = {head} but the labels hold only {ranked.Length} classes.", nameof(labels));
        }

        int tail = Options.TailClasses ?? ranked.Length - head;
        if (head + tail > ranked.Length)
        {
            throw new ArgumentException(
                $"HeadClasses + TailClasses = {head} + {tail} but the labels hold only {ranked.Length} classes.",
                nameof(labels));
        }

        var classes = new List<LongTailClass>(head + tail);
        for (int rank = 0; rank < head + tail; rank++)
        {
            int id = ranked[rank];
            List<int> members = byClass[id];
            bool isHead = rank < head;
            int[] kept = isHead ? members.ToArray() : DrawTail(id, members);
            classes.Add(new LongTailClass(id, rank, isHead, members.Count, kept));
        }

        return new LongTailManifest(Options, labels.Count, classes);
    }

    private static Dictionary<int, List<int>> GroupByClass(IReadOnlyList<int> labels)
    {
        var byClass = new Dictionary<int, List<int>>();
        for (int i = 0; i < labels.Count; i++)
        {
            int label = labels[i];
            if (label == HeldOut)
            {
                continue;
            }

            if (label < 0)
            {
                throw new ArgumentException($"Label {label} at index {i} is negative.", nameof(labels));
            }

            if (!byClass.TryGetValue(label, out List<int>? members))
            {
                members = [];
                byClass.Add(label, members);
            }

            members.Add(i);
        }

        return byClass;
    }

    /// <summary>S members chosen by a partial Fisher-Yates shuffle, returned in ascending order.</summary>
    private int[] DrawTail(int classId, List<int> members)
    {
        int take = Math.Min(Options.SamplesPerTailClass, members.Count);
        int[] pool = members.ToArray();
        var rng = SplitMix64.ForStream(Options.Seed, classId);
        for (int i = 0; i < take; i++)
        {
            int j = i + rng.NextInt(pool.Length - i);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }

        int[] kept = pool[..take];
        Array.Sort(kept);
        return kept;
    }
}
