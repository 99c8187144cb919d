namespace Leap.Training.Modeling;

/// <summary>The shape of the images a network is fed: channels, rows, columns (one sample of a [B, C, H, W] batch).</summary>
public readonly record struct ImageShape(int Channels, int Height, int Width)
{
    public override string ToString() => $"{Channels}x{Height}x{Width}";
}
