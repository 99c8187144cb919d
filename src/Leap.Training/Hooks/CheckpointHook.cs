using Leap.Training.Engine;
using Microsoft.Extensions.Logging;

namespace Leap.Training.Hooks;

/// <summary>Writes a checkpoint every N completed steps and at the end of training.</summary>
/// <param name="everySteps">0 = only at the end.</param>
/// <param name="logger">Where to log.</param>
/// <param name="saved">Called with (completed steps, directory) after each checkpoint is committed locally (e.g. to
/// report it to the coordinator, which counts a checkpoint only when every rank reported it).</param>
public sealed partial class CheckpointHook(long everySteps, ILogger<CheckpointHook> logger, Action<long, string>? saved = null) : ITrainingHook
{
    public void AfterStep(TrainingSession session, StepOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (everySteps > 0 && session.Step % everySteps == 0)
        {
            Save(session);
        }
    }

    public void AfterTrain(TrainingSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (everySteps == 0 || session.Step % everySteps != 0)
        {
            Save(session);
        }
    }

    private void Save(TrainingSession session)
    {
        string directory = session.SaveCheckpoint();
        Log.Saved(logger, directory, session.Step);
        saved?.Invoke(session.Step, directory);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Checkpoint {Directory} written after step {Step}")]
        public static partial void Saved(ILogger logger, string directory, long step);
    }
}
