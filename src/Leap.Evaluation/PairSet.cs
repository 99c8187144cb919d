using System.Collections;

namespace Leap.Evaluation;

/// <summary>An ordered list of verification pairs (order matters: k-fold evaluation splits it into contiguous folds).</summary>
public sealed class PairSet : IReadOnlyList<VerificationPair>
{
    private readonly VerificationPair[] _pairs;

    public PairSet(IEnumerable<VerificationPair> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        _pairs = pairs.ToArray();
        for (int k = 0; k < _pairs.Length; k++)
        {
            VerificationPair p = _pairs[k];
            if (p.First < 0 || p.Second < 0 || p.First == p.Second)
            {
                throw new ArgumentException($"Pair {k} ({p.First}, {p.Second}) needs two distinct non-negative indices.", nameof(pairs));
            }
        }
    }

    public int Count => _pairs.Length;
    public VerificationPair this[int index] => _pairs[index];
    public int PositiveCount => _pairs.Count(p => p.IsSame);
    public int NegativeCount => Count - PositiveCount;

    /// <summary>The IsSame flag of every pair, in order.</summary>
    public bool[] IsSame() => Array.ConvertAll(_pairs, p => p.IsSame);

    /// <summary>Cosine similarity of every pair, in order.</summary>
    public double[] CosineScores(Embeddings embeddings)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        return Array.ConvertAll(_pairs, p => embeddings.Cosine(p.First, p.Second));
    }

    public IEnumerator<VerificationPair> GetEnumerator() => ((IEnumerable<VerificationPair>)_pairs).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
