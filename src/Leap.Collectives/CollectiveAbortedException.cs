namespace Leap.Collectives;

/// <summary>Another rank's collective failed and it told the ring; the message carries that rank's original error.</summary>
public sealed class CollectiveAbortedException : InvalidOperationException
{
    public CollectiveAbortedException(string message)
        : base(message)
    {
    }

    public CollectiveAbortedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CollectiveAbortedException()
    {
    }
}
