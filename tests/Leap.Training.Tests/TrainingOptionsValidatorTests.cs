using Leap.Training.Configuration;

namespace Leap.Training.Tests;

/// <summary>The training options validate in the same style as every other component's options (IValidateOptions).</summary>
public sealed class TrainingOptionsValidatorTests
{
    [Fact]
    public void Validate_AsOptionsValidator_FailsNamingEveryBadKeyAndSucceedsOnDefaults()
    {
        var validator = new TrainingOptionsValidator();

        var bad = validator.Validate(null, new TrainingOptions { BatchSize = 1, Steps = 0 });
        var good = validator.Validate(null, new TrainingOptions());

        Assert.True(bad.Failed);
        Assert.Contains(bad.Failures!, f => f.StartsWith("Training:BatchSize = 1 is out of range", StringComparison.Ordinal));
        Assert.Contains(bad.Failures!, f => f.StartsWith("Training:Steps = 0 is out of range", StringComparison.Ordinal));
        Assert.True(good.Succeeded);
    }
}
