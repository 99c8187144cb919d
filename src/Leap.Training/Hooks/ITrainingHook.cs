using Leap.Training.Engine;

namespace Leap.Training.Hooks;

/// <summary>Extends the training loop (fast-reid style): one concern per hook, called in registration order.</summary>
public interface ITrainingHook
{
    void BeforeTrain(TrainingSession session) { }
    void AfterStep(TrainingSession session, StepOutcome outcome) { }
    void AfterTrain(TrainingSession session) { }
}
