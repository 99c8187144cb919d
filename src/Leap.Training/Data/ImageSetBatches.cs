namespace Leap.Training.Data;

/// <summary>Batches gathered from an in-memory <see cref="ImageSet"/> by an epoch plan (small sets, tests, probes).</summary>
public sealed class ImageSetBatches(ImageSet set, EpochPlan plan, int rank = 0, int worldSize = 1) : ITrainingBatches
{
    public TrainingBatch Take(long step)
    {
        var (images, labels, sources) = set.Batch(plan.Batch(step, rank, worldSize));
        return new TrainingBatch(images, labels, sources, TimeSpan.Zero);
    }

    public void Dispose()
    {
    }
}
