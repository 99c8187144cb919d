namespace Leap.Evaluation;

/// <summary>
/// Folded verification pairs as LFW lays them out: <see cref="Folds"/> folds, each of PairsPerFold matched then PairsPerFold
/// mismatched pairs. Read from LFW's pairs.txt by <see cref="LfwPairsParser"/> and from CFP's splits by
/// <see cref="VerificationSets.CfpPairsParser"/>.
/// </summary>
public sealed record LfwPairList(int Folds, int PairsPerFold, PairSet Pairs);
