namespace Leap.Core.Statistics;

/// <summary>Where the current cloud statistics come from: the in-process <see cref="CentreTracker"/> or a central service.</summary>
public interface ICloudStatisticsSource
{
    CloudStatistics Statistics { get; }
}
