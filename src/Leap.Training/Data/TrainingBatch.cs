using static TorchSharp.torch;

namespace Leap.Training.Data;

/// <summary>One rank's slice of a step's global batch: images [B, C, H, W], class ids [B], source sample ids [B] (CPU), and how long the step waited for it.</summary>
public sealed record TrainingBatch(Tensor Images, Tensor Labels, Tensor SourceIndices, TimeSpan Wait);

/// <summary>Hands a step its batch; tensors are created in the caller's dispose scope.</summary>
public interface ITrainingBatches : IDisposable
{
    /// <summary>The batch of <paramref name="step"/> for this rank (steps are normally asked for in order; any order is allowed).</summary>
    TrainingBatch Take(long step);
}
