namespace Leap.Collectives;

/// <summary>An exchange with a peer missed its deadline: the peer is stuck, dead without closing its connection, or far behind.</summary>
public sealed class CollectiveTimeoutException : TimeoutException
{
    public CollectiveTimeoutException(int peerRank, string peerAddress, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        PeerRank = peerRank;
        PeerAddress = peerAddress;
    }

    public CollectiveTimeoutException()
        : this(-1, "", "A collective exchange timed out.")
    {
    }

    public CollectiveTimeoutException(string message)
        : this(-1, "", message)
    {
    }

    public CollectiveTimeoutException(string message, Exception innerException)
        : this(-1, "", message, innerException)
    {
    }

    public int PeerRank { get; }

    public string PeerAddress { get; }
}
