using Leap.Core.Statistics;

namespace Leap.CentreService;

/// <summary>
/// What the store holds: K_i per class (C = its length), the feature dimension D and the tracker settings, whose
/// refresh interval is the number of training steps the workers buffer per push (the service applies every push as
/// one refresh; the interval is what it reports it is driven at). Two layouts are equal when every K_i, D and every
/// setting are equal.
/// </summary>
public sealed class CentreLayout : IEquatable<CentreLayout>
{
    public const int MaxDimension = 1 << 16;
    public const int MaxClasses = 1 << 24;
    public const int MaxMemoryMultiplier = 1024;
    public const int MaxRefreshInterval = 1_000_000;

    public CentreLayout(IReadOnlyList<int> samplesPerClass, int dimension, CentreTrackerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(samplesPerClass);
        ArgumentNullException.ThrowIfNull(settings);
        SamplesPerClass = samplesPerClass.ToArray();
        Dimension = dimension;
        Settings = settings;
    }

    public IReadOnlyList<int> SamplesPerClass { get; }
    public int ClassCount => SamplesPerClass.Count;
    public int Dimension { get; }
    public CentreTrackerSettings Settings { get; }

    /// <summary>
    /// Memory the store allocates for this layout: centres [C, D] and flags, and every class's angle memory (float64);
    /// in floating point, so an absurd layout cannot overflow the estimate.
    /// </summary>
    public double StateBytes => ((double)ClassCount * Dimension * sizeof(double)) + ClassCount
        + (SamplesPerClass.Sum(k => (double)k) * Settings.MemoryMultiplier * sizeof(double));

    /// <summary>Every problem of the layout, each naming the field and its allowed range (empty when valid).</summary>
    public IReadOnlyList<string> Problems(string prefix = "")
    {
        var problems = new List<string>();
        if (ClassCount is < 1 or > MaxClasses)
        {
            problems.Add($"{prefix}SamplesPerClass must list between 1 and {MaxClasses} classes (was {ClassCount}).");
        }
        for (int c = 0; c < ClassCount; c++)
        {
            if (SamplesPerClass[c] < 1)
            {
                problems.Add($"{prefix}SamplesPerClass[{c}] must be >= 1 (was {SamplesPerClass[c]}).");
                break;
            }
        }
        if (Dimension is < 1 or > MaxDimension)
        {
            problems.Add($"{prefix}Dimension must be between 1 and {MaxDimension} (was {Dimension}).");
        }
        if (!Enum.IsDefined(Settings.Variant))
        {
            problems.Add($"{prefix}Variant must be one of None, Vanilla, Full (was {Settings.Variant}).");
        }
        if (Settings.HeadThreshold < 0)
        {
            problems.Add($"{prefix}HeadThreshold must be >= 0 (was {Settings.HeadThreshold}).");
        }
        if (!(Settings.CentreLearningRate > 0 && Settings.CentreLearningRate <= 1))
        {
            problems.Add($"{prefix}CentreLearningRate must be in (0, 1] (was {Settings.CentreLearningRate}).");
        }
        if (!Enum.IsDefined(Settings.UpdateRule))
        {
            problems.Add($"{prefix}UpdateRule must be one of CentreLoss, PaperEquation4 (was {Settings.UpdateRule}).");
        }
        if (Settings.RefreshInterval is < 1 or > MaxRefreshInterval)
        {
            problems.Add($"{prefix}RefreshInterval must be between 1 and {MaxRefreshInterval} (was {Settings.RefreshInterval}).");
        }
        if (Settings.MemoryMultiplier is < 1 or > MaxMemoryMultiplier)
        {
            problems.Add($"{prefix}MemoryMultiplier must be between 1 and {MaxMemoryMultiplier} (was {Settings.MemoryMultiplier}).");
        }
        return problems;
    }

    /// <summary>A human-readable description of how two layouts differ (for FAILED_PRECONDITION messages).</summary>
    public string DescribeDifference(CentreLayout other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ClassCount != other.ClassCount)
        {
            return $"class count {other.ClassCount} differs from the held {ClassCount}";
        }
        if (Dimension != other.Dimension)
        {
            return $"dimension {other.Dimension} differs from the held {Dimension}";
        }
        if (Settings != other.Settings)
        {
            return $"settings {other.Settings} differ from the held {Settings}";
        }
        for (int c = 0; c < ClassCount; c++)
        {
            if (SamplesPerClass[c] != other.SamplesPerClass[c])
            {
                return $"K_{c} = {other.SamplesPerClass[c]} differs from the held {SamplesPerClass[c]}";
            }
        }
        return "identical";
    }

    public bool Equals(CentreLayout? other) =>
        other is not null && Dimension == other.Dimension && Settings == other.Settings
        && SamplesPerClass.SequenceEqual(other.SamplesPerClass);

    public override bool Equals(object? obj) => Equals(obj as CentreLayout);

    public override int GetHashCode() => HashCode.Combine(ClassCount, Dimension, Settings);
}
