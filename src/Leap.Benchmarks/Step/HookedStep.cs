using System.Diagnostics;
using Leap.Training.Engine;
using Leap.Training.Hooks;

namespace Leap.Benchmarks.Step;

/// <summary>
/// One training step as the trainer runs it, timed: the step, then the hook that consumes its outcome (the centre
/// refresh), with the outcome's tensors freed. Shared by the step and refresh benchmarks so both time the same thing.
/// </summary>
public static class HookedStep
{
    /// <returns>Wall seconds of step and hook together, of the hook alone, and the step's cloud samples.</returns>
    public static (double TotalSeconds, double HookSeconds, int CloudSamples) Run(IStepRunner step, TrainingSession session, ITrainingHook hook)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(hook);
        var clock = Stopwatch.StartNew();
        var outcome = step.Run(session.Step);
        double trained = clock.Elapsed.TotalSeconds;
        session.Step++;
        try
        {
            hook.AfterStep(session, outcome);
        }
        finally
        {
            outcome.Embeddings.Dispose();
            outcome.Labels.Dispose();
        }
        double total = clock.Elapsed.TotalSeconds;
        return (total, total - trained, outcome.CloudSamples);
    }
}
