namespace Leap.Core.Augmentation;

/// <summary>Clouds start after a warm-up: alpha is zero before <see cref="StartEpoch"/> and before <see cref="StartIteration"/>.</summary>
public sealed record CloudSchedule(int StartEpoch = 0, long StartIteration = 0)
{
    public bool IsActive(int epoch, long iteration) => epoch >= StartEpoch && iteration >= StartIteration;
}
