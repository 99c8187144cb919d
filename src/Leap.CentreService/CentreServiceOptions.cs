using Leap.Core.Statistics;
using Leap.Security;

namespace Leap.CentreService;

/// <summary>
/// The centre service's configuration, bound from the <see cref="SectionName"/> section and validated at start-up by
/// <see cref="CentreServiceOptionsValidator"/>. The layout (<see cref="SamplesPerClass"/>, <see cref="Dimension"/>
/// and the tracker settings) is optional: without it the first client calls Initialise.
/// </summary>
public sealed class CentreServiceOptions
{
    public const string SectionName = "CentreService";

    /// <summary>Holds layout.bin, snapshot.bin and the push-log segments.</summary>
    public string StateDirectory { get; set; } = "centre-state";

    /// <summary>K_i per class; empty = the layout comes from the state directory or the Initialise RPC.</summary>
    public int[] SamplesPerClass { get; set; } = [];

    /// <summary>D, required when <see cref="SamplesPerClass"/> is set.</summary>
    public int Dimension { get; set; }

    /// <summary>Full by default, as Training:Leap:Variant.</summary>
    public LeapVariant Variant { get; set; } = LeapVariant.Full;
    public int HeadThreshold { get; set; } = 20;
    public double CentreLearningRate { get; set; } = 0.1;
    public CentreUpdateRule UpdateRule { get; set; } = CentreUpdateRule.CentreLoss;
    public int MemoryMultiplier { get; set; } = 1;

    /// <summary>Training steps the workers buffer per push (their Training:Leap:RefreshInterval).</summary>
    public int RefreshInterval { get; set; } = 1;

    /// <summary>Largest layout (centres and angle memories, bytes) Initialise accepts; larger ones are refused before anything is stored.</summary>
    public long MaxStateBytes { get; set; } = 8L << 30;

    /// <summary>Class-range partitions, one lock each (capped at the class count).</summary>
    public int Partitions { get; set; } = 64;

    /// <summary>How many recent request ids are remembered so a retried push is applied once.</summary>
    public int DedupeWindow { get; set; } = 65536;

    /// <summary>A snapshot is written at least this often while pushes arrive.</summary>
    public TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>... and as soon as the current log segment grows past this many bytes.</summary>
    public long SnapshotLogBytes { get; set; } = 512L << 20;

    /// <summary>Write a final snapshot on a clean shutdown.</summary>
    public bool SnapshotOnStop { get; set; } = true;

    /// <summary>Lower bound of WatchSummary's interval between summaries.</summary>
    public TimeSpan MinWatchInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Default number of histogram bins of a summary.</summary>
    public int HistogramBins { get; set; } = 20;

    /// <summary>Most feature rows one push may carry.</summary>
    public int MaxPushRows { get; set; } = 1 << 16;

    /// <summary>Largest gRPC message the service receives (a push of N x D float32 needs 4 N D bytes and a little).</summary>
    public int MaxReceiveMessageBytes { get; set; } = 256 << 20;

    /// <summary>Most open connections; further ones are closed as soon as they are accepted (<see cref="KestrelConnectionLimits"/>).</summary>
    public int MaxConnections { get; set; } = KestrelConnectionLimits.DefaultMaxConnections;

    /// <summary>A connection with no call in progress (or that never sends a request) is closed after this.</summary>
    public TimeSpan IdleConnectionTimeout { get; set; } = KestrelConnectionLimits.DefaultIdleConnectionTimeout;

    /// <summary>The layout given by these options, or null when <see cref="SamplesPerClass"/> is empty.</summary>
    public CentreLayout? Layout() => SamplesPerClass.Length == 0
        ? null
        : new CentreLayout(SamplesPerClass, Dimension, new CentreTrackerSettings(
            Variant, HeadThreshold, CentreLearningRate, UpdateRule, RefreshInterval, MemoryMultiplier));
}

/// <summary>Environment variables that set <see cref="CentreServiceOptions"/> (ASP.NET Core's "Section__Key" form).</summary>
public static class CentreServiceEnvironmentVariables
{
    public const string StateDirectory = "CentreService__StateDirectory";
    public const string Dimension = "CentreService__Dimension";
    public const string Variant = "CentreService__Variant";
    public const string HeadThreshold = "CentreService__HeadThreshold";
    public const string CentreLearningRate = "CentreService__CentreLearningRate";
    public const string UpdateRule = "CentreService__UpdateRule";
    public const string MemoryMultiplier = "CentreService__MemoryMultiplier";
    public const string RefreshInterval = "CentreService__RefreshInterval";
    public const string Partitions = "CentreService__Partitions";
    public const string MaxStateBytes = "CentreService__MaxStateBytes";
    public const string DedupeWindow = "CentreService__DedupeWindow";
    public const string SnapshotInterval = "CentreService__SnapshotInterval";
    public const string SnapshotLogBytes = "CentreService__SnapshotLogBytes";
    public const string SnapshotOnStop = "CentreService__SnapshotOnStop";
    public const string MinWatchInterval = "CentreService__MinWatchInterval";
    public const string HistogramBins = "CentreService__HistogramBins";
    public const string MaxPushRows = "CentreService__MaxPushRows";
    public const string MaxReceiveMessageBytes = "CentreService__MaxReceiveMessageBytes";
    public const string MaxConnections = "CentreService__MaxConnections";
    public const string IdleConnectionTimeout = "CentreService__IdleConnectionTimeout";
}
