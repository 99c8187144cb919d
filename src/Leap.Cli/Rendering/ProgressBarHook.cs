using Leap.Training.Engine;
using Leap.Training.Hooks;
using Spectre.Console;

namespace Leap.Cli.Rendering;

/// <summary>Moves a Spectre.Console progress task along with the training steps; shows the latest loss.</summary>
public sealed class ProgressBarHook(ProgressTask task) : ITrainingHook
{
    public void BeforeTrain(TrainingSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        task.MaxValue = session.Options.Steps;
        task.Value = session.Step;
    }

    public void AfterStep(TrainingSession session, StepOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(outcome);
        task.Value = session.Step;
        task.Description = $"train  loss {outcome.Loss:F3}  lr {outcome.LearningRate:G3}";
    }
}
