using Leap.Data;
using Leap.Data.Sources;
using Leap.Data.Transforms;
using Leap.Training.Configuration;
using Leap.Training.Data;

namespace Leap.Training.Tests;

/// <summary>The decode-path augmentation keys: validated at start-up and turned into the per-sample transform.</summary>
public sealed class AugmentationOptionsTests
{
    [Fact]
    public void Validate_DecodeAugmentationsOutOfRange_NamesEachKeyAndRange()
    {
        var options = new TrainingOptions { Augmentation = { RandomResizedCrop = 2, ColourJitter = 3 } };

        var errors = TrainingOptionsValidator.Validate(options);

        Assert.Equal(
            ["Training:Augmentation:RandomResizedCrop = 2 is out of range; allowed [0, 1].", "Training:Augmentation:ColourJitter = 3 is out of range; allowed [0, 1]."],
            errors);
    }

    [Fact]
    public void Validate_DecodeAugmentationsNaN_NamesEachKey()
    {
        var options = new TrainingOptions { Augmentation = { RandomResizedCrop = double.NaN, ColourJitter = double.NaN } };

        var errors = TrainingOptionsValidator.Validate(options);

        Assert.Equal(2, errors.Count);
        Assert.StartsWith("Training:Augmentation:RandomResizedCrop = ", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("Training:Augmentation:ColourJitter = ", errors[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0.08, 0.4)]
    [InlineData(1, 1)]
    public void Validate_DecodeAugmentationsInRange_NoErrors(double minimumArea, double jitter)
    {
        var options = new TrainingOptions { Augmentation = { RandomResizedCrop = minimumArea, ColourJitter = jitter } };

        Assert.Empty(TrainingOptionsValidator.Validate(options));
    }

    [Fact]
    public void Augmentation_Defaults_IsNone()
    {
        using var source = Source();
        var options = new AugmentationOptions { HorizontalFlip = true, PadCrop = 2 };

        Assert.Equal((0.0, 0.0), (options.RandomResizedCrop, options.ColourJitter));
        Assert.Null(ImageSourceFactory.Augmentation(options, Preprocessor(source), seed: 1));
    }

    [Fact]
    public void Augmentation_BothOn_CropsToThePreparedSizeThenJitters()
    {
        using var source = Source();
        var options = new AugmentationOptions { RandomResizedCrop = 0.25, ColourJitter = 0.3 };

        var augmentation = ImageSourceFactory.Augmentation(options, Preprocessor(source), seed: 9);

        Assert.NotNull(augmentation);
        Assert.Equal(9, augmentation.Seed);
        var steps = Assert.IsType<ImageTransformPipeline>(augmentation.Transform).Steps;
        Assert.Equal(2, steps.Count);
        var crop = Assert.IsType<RandomResizedCrop>(steps[0]);
        Assert.Equal((5, 4, 0.25), (crop.Height, crop.Width, crop.MinimumArea));
        Assert.Equal(0.3, Assert.IsType<ColourJitter>(steps[1]).Strength);
    }

    [Fact]
    public void Augmentation_JitterOnly_IsOnlyTheJitter()
    {
        using var source = Source();

        var augmentation = ImageSourceFactory.Augmentation(new AugmentationOptions { ColourJitter = 0.1 }, Preprocessor(source), seed: 9);

        Assert.IsType<ColourJitter>(Assert.Single(Assert.IsType<ImageTransformPipeline>(augmentation!.Transform).Steps));
    }

    /// <summary>One 5x4 grey IDX image.</summary>
    private static IdxImageSource Source() => new(new IdxImages(1, 5, 4, new byte[20]), new IdxLabels([0]), "one image");

    private static SamplePreprocessor Preprocessor(IImageSource source) => new(source, 1, 0, 0, [0.5f], [0.5f]);
}
