using Leap.Training.Engine;
using Leap.Training.Hooks;

namespace Leap.Training.Tests;

/// <summary>Records each step's loss and cloud-sample count (the equivalence tests compare runs step by step).</summary>
internal sealed class LossRecorder : ITrainingHook
{
    public List<double> Losses { get; } = [];
    public List<int> CloudSamples { get; } = [];

    public void AfterStep(TrainingSession session, StepOutcome outcome)
    {
        Losses.Add(outcome.Loss);
        CloudSamples.Add(outcome.CloudSamples);
    }
}
