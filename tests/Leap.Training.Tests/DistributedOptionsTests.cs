using Leap.Runs.Configuration;

namespace Leap.Training.Tests;

/// <summary>Training:Distributed:OverlapGradients binds from --set and fails fast, naming the key, on a bad value.</summary>
public sealed class DistributedOptionsTests
{
    [Fact]
    public void Load_OverlapGradientsNotABoolean_FailsNamingTheKey()
    {
        var error = Assert.Throws<ConfigurationException>(() => TrainingConfigLoader.Load(null, ["Distributed:OverlapGradients=sometimes"]));

        Assert.Contains("Training:Distributed:OverlapGradients", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void Load_OverlapGradients_Binds(string value, bool expected)
    {
        var options = TrainingConfigLoader.Load(null, [$"Distributed.OverlapGradients={value}"]);

        Assert.Equal(expected, options.Distributed.OverlapGradients);
    }

    [Fact]
    public void Load_NoSetting_LeavesOverlapOff()
    {
        Assert.False(TrainingConfigLoader.Load(null, []).Distributed.OverlapGradients);
    }
}
