using Leap.Data.Transforms;

namespace Leap.Data.Tests.Transforms;

public sealed class SampleAugmentationTests
{
    private static readonly RandomResizedCrop Crop = new(16, 16, minimumArea: 0.3);

    private static (int, int, int, int)[] Regions(SampleAugmentation augmentation, long step) =>
        Enumerable.Range(0, 20).Select(i => Crop.DrawRegion(64, 48, augmentation.KeyFor(step, 1000 + i))).ToArray();

    [Fact]
    public void KeyFor_SameSeedStepAndSample_SameCrop_OtherStepOrSeed_OtherCrops()
    {
        var run = new SampleAugmentation(Crop, seed: 7);

        Assert.Equal(Regions(run, 3), Regions(new SampleAugmentation(Crop, seed: 7), 3));
        Assert.NotEqual(Regions(run, 3), Regions(run, 4));
        Assert.NotEqual(Regions(run, 3), Regions(new SampleAugmentation(Crop, seed: 8), 3));
    }

    [Fact]
    public void ForStep_KeyIsTheStepSeedEpochZeroAndTheSample()
    {
        var run = new SampleAugmentation(Crop, seed: 7);
        StepAugmentation step = run.ForStep(12);

        Assert.Equal(new AugmentationKey(step.StepSeed, 0, 345), step.KeyFor(345));
        Assert.Equal(step.KeyFor(345), run.KeyFor(12, 345));
        Assert.NotEqual(run.ForStep(12).StepSeed, run.ForStep(13).StepSeed);
        Assert.Equal(run.ForStep(12), new SampleAugmentation(Crop, seed: 7).ForStep(12));
    }
}
