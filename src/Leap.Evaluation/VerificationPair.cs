namespace Leap.Evaluation;

/// <summary>Two embedding indices and whether they show the same identity.</summary>
public readonly record struct VerificationPair(int First, int Second, bool IsSame);
