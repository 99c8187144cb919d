using Leap.Security;

namespace Leap.Coordinator;

/// <summary>
/// The job one coordinator runs, bound from the <see cref="SectionName"/> configuration section and validated at
/// start-up by <see cref="CoordinatorOptionsValidator"/>.
/// </summary>
public sealed class CoordinatorOptions
{
    public const string SectionName = "Coordinator";

    /// <summary>Workers must register with this id; it also names the state file. Letters, digits, '.', '_', '-'.</summary>
    public string JobId { get; set; } = "leap";

    /// <summary>Workers per generation; a generation forms when this many have registered.</summary>
    public int WorldSize { get; set; } = 1;

    /// <summary>The job's seed, handed to every worker (data order, alpha draws).</summary>
    public long Seed { get; set; }

    /// <summary>Training samples in the dataset (the epoch permutation covers [0, SampleCount)).</summary>
    public long SampleCount { get; set; }

    /// <summary>Samples per optimizer step over all workers; divisible by <see cref="WorldSize"/>.</summary>
    public int GlobalBatchSize { get; set; } = 256;

    /// <summary>
    /// Resume a job whose latest committed checkpoint was written by another number of workers (they re-shard the
    /// classifier from it). Off by default: without it such a coordinator refuses to start (<see cref="WorldSizeChangeValidator"/>).
    /// </summary>
    public bool AllowWorldSizeChange { get; set; }

    /// <summary>How often workers are asked to send a heartbeat.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A rank silent for longer than this is declared dead and its generation ends.</summary>
    public TimeSpan HeartbeatDeadline { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Where the coordinator keeps its state file (last generation, latest committed checkpoint).</summary>
    public string StateDirectory { get; set; } = "coordinator-state";

    /// <summary>Most open connections; further ones are closed as soon as they are accepted (<see cref="KestrelConnectionLimits"/>).</summary>
    public int MaxConnections { get; set; } = KestrelConnectionLimits.DefaultMaxConnections;

    /// <summary>A connection with no call in progress (or that never sends a request) is closed after this.</summary>
    public TimeSpan IdleConnectionTimeout { get; set; } = KestrelConnectionLimits.DefaultIdleConnectionTimeout;
}

/// <summary>Environment variables that set <see cref="CoordinatorOptions"/> (ASP.NET Core's "Section__Key" form).</summary>
public static class CoordinatorEnvironmentVariables
{
    public const string JobId = "Coordinator__JobId";
    public const string WorldSize = "Coordinator__WorldSize";
    public const string AllowWorldSizeChange = "Coordinator__AllowWorldSizeChange";
    public const string Seed = "Coordinator__Seed";
    public const string SampleCount = "Coordinator__SampleCount";
    public const string GlobalBatchSize = "Coordinator__GlobalBatchSize";
    public const string HeartbeatInterval = "Coordinator__HeartbeatInterval";
    public const string HeartbeatDeadline = "Coordinator__HeartbeatDeadline";
    public const string StateDirectory = "Coordinator__StateDirectory";
    public const string MaxConnections = "Coordinator__MaxConnections";
    public const string IdleConnectionTimeout = "Coordinator__IdleConnectionTimeout";
}
