using Leap.Training.Configuration;
using Leap.Training.Data;
using static TorchSharp.torch;

namespace Leap.Training.Tests;

/// <summary>The per-step flip and pad-crop, checked pixel by pixel against a loop-based reference of the same draws.</summary>
public sealed class BatchAugmentationTests
{
    private const int Channels = 2;
    private const int Height = 6;
    private const int Width = 5;

    private static Tensor Batch(int count, int offset = 0) =>
        arange(offset * Channels * Height * Width, (offset + count) * Channels * Height * Width, ScalarType.Float32).view(count, Channels, Height, Width) + 1;

    /// <summary>
    /// Expected pixel of one augmented sample: mirror the source if drawn, zero-pad by <paramref name="pad"/>, read the
    /// window starting at (top, left).
    /// </summary>
    private static float Expected(float[] source, int c, int y, int x, bool flip, int top, int left, int pad)
    {
        int sy = y + top - pad;
        int sx = x + left - pad;
        if (sy < 0 || sy >= Height || sx < 0 || sx >= Width)
        {
            return 0;
        }

        int column = flip ? Width - 1 - sx : sx;
        return source[(((c * Height) + sy) * Width) + column];
    }

    [Fact]
    public void Apply_Off_ReturnsTheBatchUnchanged()
    {
        using var images = Batch(3);
        var augmentation = new BatchAugmentation(new AugmentationOptions(), seed: 1);
        Assert.False(augmentation.Enabled);
        Assert.Same(images, augmentation.Apply(images, [0, 1, 2], step: 5));
    }

    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 2)]
    [InlineData(true, 3)]
    public void Apply_MatchesTheLoopReferenceOfItsDraws(bool flip, int pad)
    {
        const int count = 40;
        var options = new AugmentationOptions { HorizontalFlip = flip, PadCrop = pad };
        var augmentation = new BatchAugmentation(options, seed: 7);
        long[] sources = [.. Enumerable.Range(0, count).Select(i => (long)(1000 + (3 * i)))];
        using var images = Batch(count);
        using var result = augmentation.Apply(images, sources, step: 12);

        Assert.Equal(images.shape, result.shape);
        float[] input = images.data<float>().ToArray();
        float[] output = result.data<float>().ToArray();
        int flips = 0;
        int plane = Channels * Height * Width;
        for (int i = 0; i < count; i++)
        {
            var (f, top, left) = augmentation.Draw(12, sources[i]);
            flips += f ? 1 : 0;
            Assert.InRange(top, 0, 2 * pad);
            Assert.InRange(left, 0, 2 * pad);
            float[] sample = input[(i * plane)..((i + 1) * plane)];
            for (int c = 0; c < Channels; c++)
            {
                for (int y = 0; y < Height; y++)
                {
                    for (int x = 0; x < Width; x++)
                    {
                        Assert.Equal(Expected(sample, c, y, x, f, top, left, pad), output[(i * plane) + (((c * Height) + y) * Width) + x]);
                    }
                }
            }
        }

        if (flip)
        {
            Assert.InRange(flips, 8, 32);
        }
        else
        {
            Assert.Equal(0, flips);
        }
    }

    [Theory]
    [InlineData(true, 0)]
    [InlineData(true, 3)]
    [InlineData(false, 7)]
    public void Apply_RowPathAndTensorPath_GiveTheSameBatch(bool flip, int pad)
    {
        // A contiguous float32 CPU batch takes the row-copy path; a float64 one the tensor operations.
        var augmentation = new BatchAugmentation(new AugmentationOptions { HorizontalFlip = flip, PadCrop = pad }, seed: 11);
        long[] sources = [.. Enumerable.Range(0, 24).Select(i => (long)(7 * i))];
        using var images = Batch(24);
        using var wide = images.to(ScalarType.Float64);

        using var rows = augmentation.Apply(images, sources, step: 4);
        using var tensors = augmentation.Apply(wide, sources, step: 4);

        Assert.Equal(ScalarType.Float32, rows.dtype);
        Assert.Equal(images.shape, rows.shape);
        Assert.Equal(tensors.to(ScalarType.Float32).data<float>().ToArray(), rows.data<float>().ToArray());
    }

    [Fact]
    public void Draw_DependsOnSeedStepAndSample_NotOnBatchPosition()
    {
        var options = new AugmentationOptions { HorizontalFlip = true, PadCrop = 4 };
        var a = new BatchAugmentation(options, seed: 3);
        var sameSeed = new BatchAugmentation(options, seed: 3);
        var otherSeed = new BatchAugmentation(options, seed: 4);
        var draws = Enumerable.Range(0, 200).Select(s => a.Draw(9, s)).ToList();

        Assert.Equal(draws, Enumerable.Range(0, 200).Select(s => sameSeed.Draw(9, s)));
        Assert.NotEqual(draws, Enumerable.Range(0, 200).Select(s => otherSeed.Draw(9, s)));
        Assert.NotEqual(draws, Enumerable.Range(0, 200).Select(s => a.Draw(10, s)));
        Assert.Equal(9, draws.Select(d => d.Top).Distinct().Count());
        Assert.Equal(9, draws.Select(d => d.Left).Distinct().Count());

        using var forward = Batch(4);
        using var reversed = forward.flip(0);
        using var first = a.Apply(forward, [10, 11, 12, 13], step: 2);
        using var second = a.Apply(reversed, [13, 12, 11, 10], step: 2);
        using var secondReordered = second.flip(0);
        Assert.True(first.allclose(secondReordered, rtol: 0, atol: 0));
    }

    [Fact]
    public void Apply_MismatchedSourceIndices_Throws()
    {
        using var images = Batch(3);
        var augmentation = new BatchAugmentation(new AugmentationOptions { HorizontalFlip = true }, seed: 1);
        Assert.Throws<ArgumentException>(() => augmentation.Apply(images, [1, 2], step: 1));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(65)]
    public void Validate_PadCropOutOfRange_NamesTheKey(int pad)
    {
        var errors = TrainingOptionsValidator.Validate(new TrainingOptions { Augmentation = { PadCrop = pad } });
        Assert.Contains(errors, e => e.Contains("Training:Augmentation:PadCrop", StringComparison.Ordinal));
        Assert.Empty(TrainingOptionsValidator.Validate(new TrainingOptions { Augmentation = { PadCrop = 4, HorizontalFlip = true } }));
    }
}
