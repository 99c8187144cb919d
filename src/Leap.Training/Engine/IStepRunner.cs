namespace Leap.Training.Engine;

/// <summary>Runs one optimisation step of a session (single process, or one rank of a data-parallel group).</summary>
public interface IStepRunner
{
    /// <summary>
    /// True when the ranks of a collective run must stop at the same step: the loop then does not stop on its own
    /// when asked to, but passes the request into the next step, which shares it with the peers and answers with
    /// <see cref="StepOutcome.StopAgreed"/> on every rank. A single process stops before its next step.
    /// </summary>
    bool StopsTogether => false;

    /// <param name="step">The step to run (0-based).</param>
    /// <param name="stopRequested">This process was asked to stop (Ctrl-C, SIGTERM); only read when <see cref="StopsTogether"/>.</param>
    StepOutcome Run(long step, bool stopRequested = false);
}
