namespace Leap.Coordinator;

/// <summary>
/// Longest strings the coordinator accepts in a request (each is kept in memory for the generation, and checkpoint paths
/// in the state file); a longer one is INVALID_ARGUMENT naming the field and the limit.
/// </summary>
public static class CoordinatorRequestLimits
{
    /// <summary>job_id, worker_instance_id and a barrier name.</summary>
    public const int MaxIdLength = 256;

    /// <summary>peer_address: a 253-character DNS name (or a bracketed IPv6 address), ':' and a port.</summary>
    public const int MaxPeerAddressLength = 263;

    /// <summary>A reported checkpoint path (Linux PATH_MAX).</summary>
    public const int MaxPathLength = 4096;

    /// <summary>The problem with <paramref name="value"/> as <paramref name="field"/>, or null when it is short enough.</summary>
    public static string? TooLong(string field, string? value, int max) =>
        value is not null && value.Length > max ? $"{field} must be at most {max} characters (was {value.Length})" : null;
}
