using Leap.Training.Data;
using Leap.Training.Optimization;

namespace Leap.Training.Engine;

/// <summary>
/// The start every step runner shares: this rank's batch of the step, augmented (flip, pad-crop, random erasing: keyed by seed, step
/// and global sample index, so N ranks augment as one process does), the step's learning rate set and the network and
/// classifier in training mode. Images stay where the batch source made them (the CPU); the runner moves them.
/// </summary>
public static class StepBatch
{
    public static (TrainingBatch Batch, double LearningRate) Take(TrainingSession session, ITrainingBatches batches, long step)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(batches);
        var batch = batches.Take(step);
        double rate = session.Schedule.At(step);
        OptimizerFactory.SetLearningRate(session.Optimizer, rate);
        session.Network.train();
        session.Classifier.train();
        if (session.Augmentation.Enabled)
        {
            batch = batch with { Images = session.Augmentation.Apply(batch.Images, batch.SourceIndices.data<long>().ToArray(), step) };
        }
        return (batch, rate);
    }
}
