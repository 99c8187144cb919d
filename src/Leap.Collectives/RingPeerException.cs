namespace Leap.Collectives;

/// <summary>A ring link to a peer broke or could not be opened: the peer stopped, crashed or is unreachable.</summary>
public class RingPeerException : IOException
{
    public RingPeerException(int peerRank, string peerAddress, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        PeerRank = peerRank;
        PeerAddress = peerAddress;
    }

    public RingPeerException()
        : this(-1, "", "A ring peer failed.")
    {
    }

    public RingPeerException(string message)
        : this(-1, "", message)
    {
    }

    public RingPeerException(string message, Exception innerException)
        : this(-1, "", message, innerException)
    {
    }

    public int PeerRank { get; }

    public string PeerAddress { get; }
}
