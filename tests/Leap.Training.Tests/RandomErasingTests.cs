using Leap.Training.Configuration;
using Leap.Training.Data;
using static TorchSharp.torch;

namespace Leap.Training.Tests;

/// <summary>Random erasing: its draws follow the paper's ranges and rate, and the batch is zeroed exactly inside them.</summary>
public sealed class RandomErasingTests
{
    private const int Height = 128;
    private const int Width = 64;

    [Fact]
    public void Draw_OverManySamples_ErasesAboutPOfThemWithinTheAreaAndAspectRanges()
    {
        var erasing = new RandomErasing(0.5, seed: 3);
        int erased = 0;
        const int samples = 4000;
        for (long i = 0; i < samples; i++)
        {
            if (erasing.Draw(step: 17, sourceIndex: i, Height, Width) is not { } box)
            {
                continue;
            }

            erased++;
            double area = (double)box.Height * box.Width / (Height * Width);
            double aspect = (double)box.Height / box.Width;
            Assert.InRange(area, 0.015, 0.41); // the rounding of h and w moves the area a little off [0.02, 0.4]
            Assert.InRange(aspect, 0.25, 3.6);
            Assert.InRange(box.Top, 0, Height - box.Height);
            Assert.InRange(box.Left, 0, Width - box.Width);
        }

        // Binomial(4000, 0.5) minus the few samples whose ten draws did not fit: 5 standard deviations are +-158.
        Assert.InRange(erased, 1842, 2158);
        // Log-uniform aspect in [0.3, 1/0.3]: on a square image, where the fit test favours neither side, the median is
        // 1 (a uniform aspect would put it near 1.8).
        double[] aspects = [.. Enumerable.Range(0, samples).Select(i => erasing.Draw(17, i, Height, Height)).OfType<(int Top, int Left, int Height, int Width)>().Select(b => (double)b.Height / b.Width).Order()];
        Assert.InRange(aspects[aspects.Length / 2], 0.85, 1.18);
    }

    [Fact]
    public void Draw_IsAPureFunctionOfSeedStepAndSource()
    {
        var a = new RandomErasing(0.7, seed: 11);
        var b = new RandomErasing(0.7, seed: 11);
        var otherSeed = new RandomErasing(0.7, seed: 12);
        var first = Enumerable.Range(0, 200).Select(i => a.Draw(5, i, Height, Width)).ToArray();
        var again = Enumerable.Range(0, 200).Reverse().Select(i => b.Draw(5, i, Height, Width)).Reverse().ToArray();
        Assert.Equal(first, again);
        Assert.NotEqual(first, Enumerable.Range(0, 200).Select(i => otherSeed.Draw(5, i, Height, Width)).ToArray());
        Assert.NotEqual(first, Enumerable.Range(0, 200).Select(i => a.Draw(6, i, Height, Width)).ToArray());
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void Draw_AtTheEndsOfTheRange_NeverOrAlmostAlwaysErases(double probability)
    {
        var erasing = new RandomErasing(probability, seed: 1);
        int erased = Enumerable.Range(0, 500).Count(i => erasing.Draw(0, i, Height, Width) is not null);
        if (probability == 0)
        {
            Assert.False(erasing.Enabled);
            Assert.Equal(0, erased);
        }
        else
        {
            Assert.InRange(erased, 490, 500);
        }
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Constructor_ProbabilityOutOfRange_Throws(double probability) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomErasing(probability, seed: 1));

    [Fact]
    public void BatchAugmentation_WithErasingOnly_ZeroesExactlyTheDrawnRectanglesOfACopy()
    {
        const int count = 24;
        const int channels = 3;
        var options = new AugmentationOptions { RandomErasing = 0.6 };
        var augmentation = new BatchAugmentation(options, seed: 9);
        var reference = new RandomErasing(0.6, seed: 9);
        long[] sources = [.. Enumerable.Range(0, count).Select(i => (long)(50 + i))];
        using var images = rand(count, channels, Height, Width) + 0.5f; // no pixel is zero before erasing
        using var before = images.clone();

        using var result = augmentation.Apply(images, sources, step: 3);

        Assert.True(augmentation.Enabled);
        Assert.True(images.equal(before).all().item<bool>(), "the input batch must not be changed");
        float[] input = images.data<float>().ToArray();
        float[] output = result.data<float>().ToArray();
        int erasedSamples = 0;
        for (int b = 0; b < count; b++)
        {
            var box = reference.Draw(3, sources[b], Height, Width);
            erasedSamples += box is null ? 0 : 1;
            for (int c = 0; c < channels; c++)
            {
                for (int y = 0; y < Height; y++)
                {
                    for (int x = 0; x < Width; x++)
                    {
                        int at = (((((b * channels) + c) * Height) + y) * Width) + x;
                        bool inside = box is { } r && y >= r.Top && y < r.Top + r.Height && x >= r.Left && x < r.Left + r.Width;
                        Assert.Equal(inside ? 0f : input[at], output[at]);
                    }
                }
            }
        }

        Assert.InRange(erasedSamples, 1, count - 1);
    }

    [Fact]
    public void BatchAugmentation_ErasingAfterFlipAndCrop_ErasesTheAugmentedImage()
    {
        const int count = 16;
        long[] sources = [.. Enumerable.Range(0, count).Select(i => (long)i)];
        using var images = rand(count, 3, Height, Width) + 0.5f;
        var flipCrop = new BatchAugmentation(new AugmentationOptions { HorizontalFlip = true, PadCrop = 4 }, seed: 2);
        var all = new BatchAugmentation(new AugmentationOptions { HorizontalFlip = true, PadCrop = 4, RandomErasing = 0.5 }, seed: 2);
        var reference = new RandomErasing(0.5, seed: 2);

        using var expected = flipCrop.Apply(images, sources, step: 8);
        for (int b = 0; b < count; b++)
        {
            if (reference.Draw(8, sources[b], Height, Width) is { } r)
            {
                expected[b].narrow(1, r.Top, r.Height).narrow(2, r.Left, r.Width).zero_();
            }
        }

        using var result = all.Apply(images, sources, step: 8);
        Assert.True(result.equal(expected).all().item<bool>());
    }

    [Fact]
    public void Validate_RandomErasingOutOfRange_NamesTheKeyAndRange()
    {
        var errors = TrainingOptionsValidator.Validate(new TrainingOptions { Augmentation = { RandomErasing = 1.5 } });

        Assert.Equal(["Training:Augmentation:RandomErasing = 1.5 is out of range; allowed [0, 1]."], errors);
    }
}
