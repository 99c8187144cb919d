namespace Leap.Data;

/// <summary>One class kept by a long-tail split.</summary>
/// <param name="OriginalId">The label in the source data.</param>
/// <param name="NewId">Contiguous id in 0..C-1: head classes first, each group in rank order.</param>
/// <param name="IsHead">True for the H largest classes, kept whole.</param>
/// <param name="AvailableCount">How many samples the class had in the source data.</param>
/// <param name="SampleIndices">Indices (into the source labels) of the kept samples, ascending.</param>
public sealed record LongTailClass(int OriginalId, int NewId, bool IsHead, int AvailableCount, int[] SampleIndices)
{
    /// <summary>K_i, the number of samples kept.</summary>
    public int KeptCount => SampleIndices.Length;
}
