using Leap.Training.Hooks;

namespace Leap.Training.Engine;

/// <summary>The training loop: a step runner (one dispose scope per step) and hooks for everything else.</summary>
public sealed class Trainer(TrainingSession session, IStepRunner steps, IReadOnlyList<ITrainingHook> hooks)
{
    public void Run(CancellationToken cancellation = default)
    {
        foreach (var hook in hooks)
        {
            hook.BeforeTrain(session);
        }
        while (session.Step < session.Options.Steps && !cancellation.IsCancellationRequested)
        {
            var outcome = steps.Run(session.Step);
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
        }
        foreach (var hook in hooks)
        {
            hook.AfterTrain(session);
        }
    }
}
