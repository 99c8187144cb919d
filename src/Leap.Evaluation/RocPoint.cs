namespace Leap.Evaluation;

/// <summary>One ROC operating point: pairs scoring strictly above <paramref name="Threshold"/> are called "same".</summary>
public readonly record struct RocPoint(double Threshold, double FalsePositiveRate, double TruePositiveRate);
