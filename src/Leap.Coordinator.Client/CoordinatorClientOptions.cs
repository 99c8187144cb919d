namespace Leap.Coordinator.Client;

/// <summary>Retry and deadline settings of <see cref="WorkerCoordinatorClient"/>.</summary>
public sealed class CoordinatorClientOptions
{
    /// <summary>Attempts per call, the first included (1 = no retry).</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>First retry delay; doubles per attempt, with jitter, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Deadline of every short call (heartbeat, peers, plan, reports, status).</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Deadline of one Register long poll (waiting for the other workers); a timed-out poll is retried.</summary>
    public TimeSpan RegistrationTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Deadline of one Barrier wait; a timed-out wait is retried (arrivals are idempotent).</summary>
    public TimeSpan BarrierTimeout { get; set; } = TimeSpan.FromMinutes(5);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1, nameof(MaxAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryBaseDelay, TimeSpan.Zero, nameof(RetryBaseDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryMaxDelay, RetryBaseDelay, nameof(RetryMaxDelay));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CallTimeout, TimeSpan.Zero, nameof(CallTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RegistrationTimeout, TimeSpan.Zero, nameof(RegistrationTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(BarrierTimeout, TimeSpan.Zero, nameof(BarrierTimeout));
    }
}
