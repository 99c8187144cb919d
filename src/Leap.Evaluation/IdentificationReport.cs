namespace Leap.Evaluation;

/// <summary>
/// Rank-1 identification with distractors: <see cref="Correct"/> of <see cref="Trials"/> (probe, gallery) pairs of
/// one identity ranked their mate above every distractor; <see cref="Rank1"/> = Correct / Trials.
/// </summary>
public sealed record IdentificationReport(long Trials, long Correct, int Probes, int Identities, int Distractors)
{
    public double Rank1 => Trials == 0 ? double.NaN : Correct / (double)Trials;
}
