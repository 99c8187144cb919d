namespace Leap.Training.Optimization;

/// <summary>The learning rate as a pure function of the step, so a resumed run needs no scheduler state.</summary>
public interface ILearningRateSchedule
{
    double At(long step);
}
