namespace Leap.Data.Transforms;

/// <summary>
/// Names one draw of augmentation randomness. The numbers a transform draws are a pure function of
/// (<see cref="Seed"/>, <see cref="Epoch"/>, <see cref="SampleIndex"/>, <see cref="Step"/>), so a run is
/// reproducible whatever the number of workers, threads or the order in which samples are loaded.
/// </summary>
/// <param name="Seed">The run's augmentation seed.</param>
/// <param name="Epoch">The epoch the sample is drawn for.</param>
/// <param name="SampleIndex">The sample's index in the dataset.</param>
/// <param name="Step">Position of the transform in its pipeline, so two random transforms never share numbers.</param>
public readonly record struct AugmentationKey(long Seed, int Epoch, long SampleIndex, int Step = 0)
{
    public AugmentationKey ForStep(int step) => this with { Step = step };

    /// <summary>A fresh generator for this key; two calls give the same sequence.</summary>
    public AugmentationRandom Random()
    {
        ulong epochStream = SplitMix64.ForStream(Seed, Epoch).NextUInt64();
        ulong sampleStream = SplitMix64.ForStream(unchecked((long)epochStream), SampleIndex).NextUInt64();
        return new AugmentationRandom(SplitMix64.ForStream(unchecked((long)sampleStream), Step));
    }
}

/// <summary>The generator an <see cref="AugmentationKey"/> yields (SplitMix64: fixed by definition on every platform).</summary>
public struct AugmentationRandom
{
    private SplitMix64 _generator;

    internal AugmentationRandom(SplitMix64 generator) => _generator = generator;

    /// <summary>Uniform integer in [0, exclusiveBound).</summary>
    public int NextInt(int exclusiveBound) => _generator.NextInt(exclusiveBound);

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (_generator.NextUInt64() >> 11) * (1.0 / (1UL << 53));
}
