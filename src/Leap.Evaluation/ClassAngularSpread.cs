namespace Leap.Evaluation;

/// <summary>One class's spread: the mean angle (radians) between its normalised embeddings and their centre.</summary>
public sealed record ClassAngularSpread(int ClassId, bool IsHead, int SampleCount, double MeanAngle);
