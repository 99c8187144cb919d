using System.Text.Json.Serialization;

namespace Leap.Data;

/// <summary>
/// The long-tail protocol of the LEAP paper: keep the <see cref="HeadClasses"/> largest classes whole, cut the next
/// <see cref="TailClasses"/> classes to <see cref="SamplesPerTailClass"/> samples each, drop the rest.
/// </summary>
public sealed class LongTailOptions
{
    /// <param name="headClasses">H, the number of head classes kept whole (>= 0).</param>
    /// <param name="tailClasses">T, the number of tail classes (>= 0), or null for "every class after the head".</param>
    /// <param name="samplesPerTailClass">S, samples kept per tail class (>= 1); a tail class with fewer keeps all.</param>
    /// <param name="seed">Seed of the tail-sample selection.</param>
    [JsonConstructor]
    public LongTailOptions(int headClasses, int? tailClasses, int samplesPerTailClass, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(headClasses);
        if (tailClasses is { } t)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(t, nameof(tailClasses));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerTailClass, 1);
        HeadClasses = headClasses;
        TailClasses = tailClasses;
        SamplesPerTailClass = samplesPerTailClass;
        Seed = seed;
    }

    public int HeadClasses { get; }

    /// <summary>Null means every class ranked after the head is a tail class.</summary>
    public int? TailClasses { get; }

    public int SamplesPerTailClass { get; }
    public long Seed { get; }

    public override string ToString() =>
        $"H={HeadClasses}, T={(TailClasses?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all")}, " +
        $"S={SamplesPerTailClass}, seed={Seed}";
}
