using Leap.Training.Engine;
using Microsoft.Extensions.Logging;

namespace Leap.Training.Hooks;

/// <summary>Writes a checkpoint every N completed steps and at the end of training.</summary>
public sealed partial class CheckpointHook(long everySteps, ILogger<CheckpointHook> logger) : ITrainingHook
{
    public void AfterStep(TrainingSession session, StepOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (everySteps > 0 && session.Step % everySteps == 0)
        {
            Log.Saved(logger, session.SaveCheckpoint(), session.Step);
        }
    }

    public void AfterTrain(TrainingSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (everySteps == 0 || session.Step % everySteps != 0)
        {
            Log.Saved(logger, session.SaveCheckpoint(), session.Step);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Checkpoint {Directory} written after step {Step}")]
        public static partial void Saved(ILogger logger, string directory, long step);
    }
}
