namespace Leap.Coordinator;

/// <summary>Why the job state refused a request; the gRPC layer maps each kind onto a status code.</summary>
public enum CoordinationError
{
    /// <summary>The request is malformed (bad rank, empty name ...): retrying cannot help.</summary>
    InvalidArgument,

    /// <summary>The request names an ended, unknown or still-forming generation, or conflicts with earlier state.</summary>
    FailedPrecondition,
}

/// <summary>A request the job state refused, with a message meant for the worker's log.</summary>
public sealed class CoordinationException(CoordinationError error, string message) : Exception(message)
{
    public CoordinationError Error { get; } = error;
}
