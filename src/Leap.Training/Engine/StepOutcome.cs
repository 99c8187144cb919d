using static TorchSharp.torch;

namespace Leap.Training.Engine;

/// <summary>
/// What one training step produced (<see cref="DataWait"/>: the part of <see cref="Elapsed"/> spent waiting for the
/// batch; <see cref="StopAgreed"/>: some rank was asked to stop, so every rank ends training after this step); tensors
/// are owned by the trainer and disposed after the hooks ran.
/// </summary>
public sealed record StepOutcome(
    long Step,
    int Epoch,
    double Loss,
    double LearningRate,
    bool Skipped,
    int CloudSamples,
    Tensor Embeddings,
    Tensor Labels,
    TimeSpan Elapsed,
    TimeSpan DataWait = default,
    bool StopAgreed = false,
    StepPhases? Phases = null);
