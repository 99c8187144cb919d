namespace Leap.Collectives;

/// <summary>Ranks called different collectives, or the same one with different shapes, dtypes or arguments.</summary>
public sealed class CollectiveMismatchException : InvalidOperationException
{
    public CollectiveMismatchException(string message)
        : base(message)
    {
    }

    public CollectiveMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CollectiveMismatchException()
    {
    }
}
