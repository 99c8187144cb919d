namespace Leap.Training.Modeling;

/// <summary>A square max-pooling window: kernel, stride and zero padding (floor mode, no dilation), as MaxPool2d takes them.</summary>
public readonly record struct PoolWindow(int Kernel, int Stride, int Padding)
{
    /// <summary>Output rows (or columns) for <paramref name="input"/> input rows, floor mode.</summary>
    public long OutputSize(long input) => (input + 2L * Padding - Kernel) / Stride + 1;

    /// <summary>
    /// Whether the window fits the padded side at least once (libtorch refuses a smaller input) and every window of an
    /// <paramref name="input"/>-long side starts inside it (libtorch's own rule, padding at most half the kernel, makes
    /// this so; the check keeps every recorded winner inside the input).
    /// </summary>
    public bool Covers(long input) =>
        Kernel >= 1 && Stride >= 1 && Padding >= 0 && Padding <= Kernel / 2 && input + 2L * Padding >= Kernel &&
        (OutputSize(input) - 1) * Stride - Padding < input;

    public override string ToString() => $"kernel {Kernel}, stride {Stride}, padding {Padding}";
}
