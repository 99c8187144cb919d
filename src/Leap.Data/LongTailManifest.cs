using System.Text.Json;
using System.Text.Json.Serialization;

namespace Leap.Data;

/// <summary>
/// The result of <see cref="LongTailSplitBuilder"/>: which classes and samples a long-tail training set keeps,
/// and how the kept classes are renumbered. <see cref="Classes"/>[i] has NewId i; head classes come first.
/// </summary>
public sealed class LongTailManifest
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    [JsonConstructor]
    public LongTailManifest(LongTailOptions options, int sourceSampleCount, IReadOnlyList<LongTailClass> classes)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(sourceSampleCount);
        ArgumentNullException.ThrowIfNull(classes);
        for (int i = 0; i < classes.Count; i++)
        {
            LongTailClass c = classes[i];
            if (c.NewId != i)
            {
                throw new ArgumentException($"Class at position {i} has NewId {c.NewId}; ids must be 0..C-1 in order.", nameof(classes));
            }

            if (i > 0 && c.IsHead && !classes[i - 1].IsHead)
            {
                throw new ArgumentException($"Head class {c.OriginalId} follows a tail class; head classes come first.", nameof(classes));
            }
        }

        Options = options;
        SourceSampleCount = sourceSampleCount;
        Classes = classes;
    }

    public LongTailOptions Options { get; }

    [JsonIgnore]
    public long Seed => Options.Seed;

    /// <summary>Number of labels the split was built from.</summary>
    public int SourceSampleCount { get; }

    public IReadOnlyList<LongTailClass> Classes { get; }

    [JsonIgnore]
    public int HeadClassCount => Classes.Count(c => c.IsHead);

    [JsonIgnore]
    public int TailClassCount => Classes.Count - HeadClassCount;

    [JsonIgnore]
    public int KeptSampleCount => Classes.Sum(c => c.KeptCount);

    /// <summary>Every kept sample as (source index, new label), ordered by source index.</summary>
    public IReadOnlyList<(int SampleIndex, int NewLabel)> KeptSamples()
    {
        var samples = new List<(int, int)>(KeptSampleCount);
        foreach (LongTailClass c in Classes)
        {
            samples.AddRange(c.SampleIndices.Select(i => (i, c.NewId)));
        }

        samples.Sort();
        return samples;
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static LongTailManifest FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize<LongTailManifest>(json, JsonOptions)
                ?? throw new InvalidDataException("Long-tail manifest JSON is null.");
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"Long-tail manifest is inconsistent: {e.Message}", e);
        }
    }

    /// <summary>Streams the JSON to <paramref name="path"/> (no string of the whole manifest: it lists every kept sample).</summary>
    public void Save(string path)
    {
        using var stream = File.Create(path);
        JsonSerializer.Serialize(stream, this, JsonOptions);
    }

    public static LongTailManifest Load(string path)
    {
        try
        {
            return FromJson(File.ReadAllText(path));
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw new InvalidDataException($"Cannot read long-tail manifest '{path}': {e.Message}", e);
        }
    }
}
