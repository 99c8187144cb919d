using Leap.Training.Hooks;

namespace Leap.Training.Engine;

/// <summary>
/// The training loop: a step runner (one dispose scope per step) and hooks for everything else. When the token is
/// cancelled the loop ends after the running step (for a collective runner, after the step in which every rank learnt
/// of it) and the hooks' AfterTrain still runs, so the last checkpoint is of that step; <see cref="TrainingSession.Step"/>
/// below <c>Steps</c> then tells the caller that training was interrupted.
/// </summary>
public sealed class Trainer(TrainingSession session, IStepRunner steps, IReadOnlyList<ITrainingHook> hooks)
{
    public void Run(CancellationToken cancellation = default)
    {
        foreach (var hook in hooks)
        {
            hook.BeforeTrain(session);
        }
        while (session.Step < session.Options.Steps)
        {
            bool stopRequested = cancellation.IsCancellationRequested;
            if (stopRequested && !steps.StopsTogether)
            {
                break;
            }
            var outcome = steps.Run(session.Step, stopRequested);
            session.Step++;
            try
            {
                foreach (var hook in hooks)
                {
                    hook.AfterStep(session, outcome);
                }
            }
            finally
            {
                outcome.Embeddings.Dispose();
                outcome.Labels.Dispose();
            }
            if (outcome.Skipped && session.NonFiniteSteps > session.Options.MaxNonFiniteSteps)
            {
                throw new InvalidOperationException(
                    $"{session.NonFiniteSteps} steps had a non-finite loss (Training:MaxNonFiniteSteps = {session.Options.MaxNonFiniteSteps}); aborting at step {outcome.Step}.");
            }
            if (outcome.StopAgreed)
            {
                break;
            }
        }
        foreach (var hook in hooks)
        {
            hook.AfterTrain(session);
        }
    }
}
