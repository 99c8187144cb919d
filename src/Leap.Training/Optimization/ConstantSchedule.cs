namespace Leap.Training.Optimization;

public sealed class ConstantSchedule(double rate) : ILearningRateSchedule
{
    public double At(long step) => rate;
}
