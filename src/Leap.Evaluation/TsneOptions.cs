namespace Leap.Evaluation;

/// <summary>
/// Settings of <see cref="Tsne"/>, defaults as in van der Maaten's reference implementation: perplexity 30,
/// 1000 iterations, early exaggeration 12 for the first 250 (momentum 0.5, then 0.8), learning rate 200 with
/// per-coordinate gains.
/// </summary>
public sealed record TsneOptions
{
    public double Perplexity { get; init; } = 30;
    public int Iterations { get; init; } = 1000;
    public double EarlyExaggeration { get; init; } = 12;
    public int ExaggerationIterations { get; init; } = 250;
    public double LearningRate { get; init; } = 200;
    public double InitialMomentum { get; init; } = 0.5;
    public double FinalMomentum { get; init; } = 0.8;
    public ulong Seed { get; init; } = 1;

    internal void Validate(int pointCount)
    {
        if (!(Perplexity >= 1) || Perplexity >= pointCount)
        {
            throw new ArgumentOutOfRangeException(nameof(Perplexity), Perplexity, $"Perplexity must be in [1, {pointCount}) for {pointCount} points.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Iterations);
        ArgumentOutOfRangeException.ThrowIfNegative(ExaggerationIterations);
        ArgumentOutOfRangeException.ThrowIfLessThan(EarlyExaggeration, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(LearningRate);
    }
}
