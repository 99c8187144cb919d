using Leap.Data.Images;

namespace Leap.Data.Transforms;

/// <summary>
/// A run's per-sample training augmentation, applied while a sample is decoded (before normalisation): a transform and
/// the run's seed. A sample's draws are a pure function of (seed, training step, source sample index), never of rank,
/// thread or batch position. The training step is folded into the seed: the key of sample i at step t is
/// <c>AugmentationKey(Seed: SplitMix64 stream (seed, t), Epoch: 0, SampleIndex: i)</c>, because a run counts steps, not
/// epochs (and Epoch is an int); the key's Step stays the position of a transform in its pipeline.
/// </summary>
public sealed class SampleAugmentation
{
    public SampleAugmentation(IImageTransform transform, long seed)
    {
        ArgumentNullException.ThrowIfNull(transform);
        Transform = transform;
        Seed = seed;
    }

    public IImageTransform Transform { get; }
    public long Seed { get; }

    /// <summary>The key sample <paramref name="sampleIndex"/> is augmented with at training step <paramref name="step"/>.</summary>
    public AugmentationKey KeyFor(long step, long sampleIndex) => ForStep(step).KeyFor(sampleIndex);

    /// <summary>The augmentation of one training step, as the decoder takes it.</summary>
    public StepAugmentation ForStep(long step) =>
        new(Transform, unchecked((long)SplitMix64.ForStream(Seed, step).NextUInt64()));
}

/// <summary>The augmentation of one training step: <see cref="SampleAugmentation.ForStep"/> of a run's augmentation.</summary>
/// <param name="StepSeed">The run's seed mixed with the step: the <see cref="AugmentationKey.Seed"/> of every sample of the step.</param>
public sealed record StepAugmentation(IImageTransform Transform, long StepSeed)
{
    public AugmentationKey KeyFor(long sampleIndex) => new(StepSeed, Epoch: 0, sampleIndex);

    /// <summary>Sample <paramref name="sampleIndex"/>'s augmented image (a new buffer).</summary>
    public ImageBuffer Apply(ImageBuffer image, long sampleIndex) => Transform.Apply(image, KeyFor(sampleIndex));
}
