using Leap.Training.Engine;

namespace Leap.Training.Hooks;

/// <summary>
/// Drives the session's <see cref="CentreRefresh"/>: starts its sink before training, hands it every step's global
/// embeddings (it refreshes every Leap:RefreshInterval steps, Leap:RefreshLag intervals late) and waits for a refresh
/// still in flight after training.
/// </summary>
public sealed class CentreRefreshHook : ITrainingHook
{
    public void BeforeTrain(TrainingSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        session.Centres.Start();
    }

    public void AfterStep(TrainingSession session, StepOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(outcome);
        session.Centres.Observe(outcome.Embeddings, outcome.Labels, outcome.Step, outcome.Skipped);
    }

    public void AfterTrain(TrainingSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        session.Centres.Settle();
    }
}
