using System.Runtime.ExceptionServices;
using Leap.Training.Engine;
using Leap.Training.Hooks;

namespace Leap.Worker;

/// <summary>
/// Stops training after the step in which the background heartbeats failed (the coordinator ended the generation,
/// or stayed unreachable through every retry): rethrows the heartbeat's error so the worker leaves as restartable
/// instead of training on in a generation that no longer counts. Runs before the checkpoint hook.
/// </summary>
public sealed class HeartbeatWatchHook(Task heartbeats) : ITrainingHook
{
    public void AfterStep(TrainingSession session, StepOutcome outcome)
    {
        if (heartbeats.IsFaulted && heartbeats.Exception.InnerException is { } error)
        {
            ExceptionDispatchInfo.Capture(error).Throw();
        }
    }
}
