namespace Leap.CentreService.Tests;

public sealed class CentreServiceOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeeds() =>
        Assert.True(new CentreServiceOptionsValidator().Validate(null, new CentreServiceOptions()).Succeeded);

    [Fact]
    public void Validate_EveryKeyOutOfRange_ReportsEachWithKeyAndRange()
    {
        var options = new CentreServiceOptions
        {
            StateDirectory = " ",
            SamplesPerClass = [5, 0, 3],
            Dimension = 0,
            CentreLearningRate = 1.5,
            MemoryMultiplier = 0,
            RefreshInterval = 0,
            HeadThreshold = -1,
            Partitions = 0,
            DedupeWindow = 0,
            SnapshotInterval = TimeSpan.Zero,
            SnapshotLogBytes = 10,
            MinWatchInterval = TimeSpan.FromDays(2),
            HistogramBins = 0,
            MaxPushRows = 0,
            MaxReceiveMessageBytes = 10,
            MaxConnections = 1 << 21,
            IdleConnectionTimeout = TimeSpan.FromMilliseconds(500),
        };

        var result = new CentreServiceOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        string[] expected =
        [
            "CentreService:StateDirectory must be a directory path",
            "CentreService:SamplesPerClass[1] must be >= 1 (was 0)",
            "CentreService:Dimension must be between 1 and 65536 (was 0)",
            "CentreService:CentreLearningRate must be in (0, 1] (was 1.5)",
            "CentreService:RefreshInterval must be between 1 and 1000000 (was 0)",
            "CentreService:MemoryMultiplier must be between 1 and 1024 (was 0)",
            "CentreService:HeadThreshold must be >= 0 (was -1)",
            "CentreService:Partitions must be between 1 and 4096 (was 0)",
            "CentreService:DedupeWindow must be between 1 and",
            "CentreService:SnapshotInterval must be between 00:00:01 and 1.00:00:00 (was 00:00:00)",
            "CentreService:SnapshotLogBytes must be between",
            "CentreService:MinWatchInterval must be between",
            "CentreService:HistogramBins must be between 1 and",
            "CentreService:MaxPushRows must be between 1 and",
            "CentreService:MaxReceiveMessageBytes must be between",
            "CentreService:MaxConnections must be between 1 and 1048576 (was 2097152)",
            "CentreService:IdleConnectionTimeout must be between 00:00:01 and 01:00:00 (was 00:00:00.5000000)",
        ];
        foreach (string failure in expected)
        {
            Assert.Contains(result.Failures!, f => f.StartsWith(failure, StringComparison.Ordinal));
        }
        Assert.Equal(expected.Length, result.Failures!.Count());
    }

    [Fact]
    public void Defaults_Variant_IsFullAsInTraining() =>
        Assert.Equal(Leap.Core.Statistics.LeapVariant.Full, new CentreServiceOptions().Variant);

    [Fact]
    public void Validate_DimensionWithoutSamplesPerClass_Fails()
    {
        var result = new CentreServiceOptionsValidator().Validate(null, new CentreServiceOptions { Dimension = 128 });
        Assert.Contains(result.Failures!, f => f.StartsWith("CentreService:Dimension must be 0", StringComparison.Ordinal));
    }
}
