using Leap.Core.Statistics;
using static TorchSharp.torch;

namespace Leap.Core.Augmentation;

/// <summary>
/// LEAP's feature cloud for one classifier (or classifier shard): decides alpha for a batch from the statistics of
/// its source (given at construction: the in-process tracker's or a central service's), the warm-up schedule and the
/// counter-based sampler.
/// </summary>
public sealed class FeatureCloud
{
    public FeatureCloud(ICloudStatisticsSource source, AlphaSampler sampler, CloudSchedule schedule)
    {
        Source = source ?? throw new ArgumentNullException(nameof(source));
        Sampler = sampler ?? throw new ArgumentNullException(nameof(sampler));
        Schedule = schedule ?? throw new ArgumentNullException(nameof(schedule));
    }

    public AlphaSampler Sampler { get; }
    public CloudSchedule Schedule { get; }

    /// <summary>Where sigma_i^2 and sigma^2 come from.</summary>
    public ICloudStatisticsSource Source { get; }

    /// <summary>
    /// Alpha for the batch, or null for the baseline (variant None) or before the cloud start (so the margin takes
    /// its exact baseline path).
    /// </summary>
    public Tensor? Alpha(Tensor labels, Tensor globalSampleIndices, Tensor columnClassIds, long step, int epoch, ScalarType dtype, Device device)
    {
        var statistics = Source.Statistics;
        if (statistics.Variant == LeapVariant.None || !Schedule.IsActive(epoch, step))
        {
            return null;
        }
        using var scope = NewDisposeScope();
        var std = statistics.AlphaStd(labels);
        return Sampler.Sample(step, std, globalSampleIndices, columnClassIds, dtype).to(device).MoveToOuterDisposeScope();
    }
}
