namespace Leap.Training.Engine;

/// <summary>Runs one optimisation step of a session (single process, or one rank of a data-parallel group).</summary>
public interface IStepRunner
{
    StepOutcome Run(long step);
}
