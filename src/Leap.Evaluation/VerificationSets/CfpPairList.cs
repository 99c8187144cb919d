namespace Leap.Evaluation.VerificationSets;

/// <summary>A CFP protocol read from its Protocol folder.</summary>
/// <param name="ImagePaths">
/// Full paths of the images the pairs index: Pair_list_F.txt's in order, then, for <see cref="CfpProtocol.FrontalProfile"/>,
/// Pair_list_P.txt's. Frontal image n is index n - 1; profile image n is index (number of frontal images) + n - 1.
/// </param>
/// <param name="Pairs">Split k is fold k, laid out as an LFW fold: its same.txt pairs, then its diff.txt pairs.</param>
public sealed record CfpPairList(CfpProtocol Protocol, IReadOnlyList<string> ImagePaths, LfwPairList Pairs);
