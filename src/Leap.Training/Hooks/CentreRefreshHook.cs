using Leap.Training.Engine;

namespace Leap.Training.Hooks;

/// <summary>Feeds each step's embeddings to the centre tracker, which refreshes every RefreshInterval steps.</summary>
public sealed class CentreRefreshHook : ITrainingHook
{
    public void AfterStep(TrainingSession session, StepOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(outcome);
        if (!outcome.Skipped)
        {
            session.Tracker.Observe(outcome.Embeddings, outcome.Labels, outcome.Step);
        }
    }
}
