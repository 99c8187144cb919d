namespace Leap.CentreService;

public enum CentreStoreError
{
    /// <summary>The request is malformed (shape, dtype, class id, non-finite value); nothing changed.</summary>
    InvalidArgument,

    /// <summary>The store is not initialised, or is initialised with a different layout.</summary>
    FailedPrecondition,

    /// <summary>The store cannot accept updates (its log failed); restart the service.</summary>
    Unavailable,

    /// <summary>The disk (or the configured memory budget) is full; nothing changed, retry once space is freed.</summary>
    ResourceExhausted,
}

/// <summary>A request the store refuses; the gRPC service maps <see cref="Error"/> to the status code.</summary>
public sealed class CentreStoreException : Exception
{
    public CentreStoreException(CentreStoreError error, string message, Exception? inner = null)
        : base(message, inner) => Error = error;

    public CentreStoreError Error { get; }
}
