namespace Leap.Evaluation;

/// <summary>A parsed LFW pairs file: <see cref="Folds"/> folds, each of PairsPerFold matched then PairsPerFold mismatched pairs.</summary>
public sealed record LfwPairList(int Folds, int PairsPerFold, PairSet Pairs);
