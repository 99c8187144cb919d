using Leap.Training.Engine;

namespace Leap.Worker;

/// <summary>How a worker run ended without an error; the caller maps it onto its exit code.</summary>
public enum WorkerOutcome
{
    /// <summary>Trained every step, evaluated and completed (or found the job already completed).</summary>
    Completed,

    /// <summary>Stopped on a signal after a step every rank agreed on, whose checkpoint was reported for commit.</summary>
    Interrupted,
}

/// <summary>The end of a worker run.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Summary">The final evaluation, on rank 0 of a completed run only (for evaluation.json and the console).</param>
/// <param name="Title">What was trained, a caption for <paramref name="Summary"/>.</param>
public sealed record WorkerResult(WorkerOutcome Outcome, EvaluationSummary? Summary = null, string Title = "");
