using Leap.Data;

namespace Leap.Training.Data;

/// <summary>
/// The training set of a run as rows of (source sample id, class id): the samples a long-tail manifest keeps, ordered
/// by source id, labelled with the manifest's new class ids. Rows are what the epoch plan permutes. No pixels.
/// </summary>
public sealed class TrainingSamples
{
    private readonly int[] _sources;
    private readonly int[] _labels;
    private readonly LongTailManifest _manifest;

    public TrainingSamples(LongTailManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var kept = manifest.KeptSamples();
        _sources = kept.Select(k => k.SampleIndex).ToArray();
        _labels = kept.Select(k => k.NewLabel).ToArray();
        _manifest = manifest;
    }

    public int Count => _sources.Length;
    public int ClassCount => _manifest.Classes.Count;

    /// <summary>The source sample id of <paramref name="row"/> (the key of its augmentation and alpha draws).</summary>
    public int SourceIndex(long row) => _sources[row];

    public int Label(long row) => _labels[row];

    public int[] SamplesPerClass() => _manifest.Classes.Select(c => c.KeptCount).ToArray();

    /// <summary>The next kept sample of the same class as <paramref name="sourceIndex"/> (cyclic): what replaces a corrupt one.</summary>
    public int SubstituteFor(int sourceIndex)
    {
        int row = Array.BinarySearch(_sources, sourceIndex);
        if (row < 0)
        {
            throw new ArgumentException($"Sample {sourceIndex} is not in the training set.", nameof(sourceIndex));
        }

        int[] members = _manifest.Classes[_labels[row]].SampleIndices;
        int position = Array.BinarySearch(members, sourceIndex);
        return members[(position + 1) % members.Length];
    }
}
