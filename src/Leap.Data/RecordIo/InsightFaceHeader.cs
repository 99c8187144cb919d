namespace Leap.Data.RecordIo;

/// <summary>
/// Record 0 of an InsightFace MS1M-style .rec: its labels [a, b] say that keys 1..a-1 are image records and keys
/// a..b-1 are identity records, one per class, whose labels [start, end] give that class's image keys start..end-1.
/// </summary>
public sealed record InsightFaceHeader(int IdentityKeyStart, int IdentityKeyEnd)
{
    /// <summary>Number of image records (keys 1..IdentityKeyStart-1).</summary>
    public int ImageCount => IdentityKeyStart - 1;

    /// <summary>Number of identity records, i.e. classes.</summary>
    public int IdentityCount => IdentityKeyEnd - IdentityKeyStart;

    public IEnumerable<long> ImageKeys() => Enumerable.Range(1, ImageCount).Select(k => (long)k);

    public IEnumerable<long> IdentityKeys() => Enumerable.Range(IdentityKeyStart, IdentityCount).Select(k => (long)k);
}

/// <summary>One identity record of an InsightFace .rec: class <see cref="ClassId"/> owns image keys [Start, End).</summary>
public readonly record struct IdentityKeyRange(int ClassId, long Start, long End)
{
    public long Count => End - Start;
}
