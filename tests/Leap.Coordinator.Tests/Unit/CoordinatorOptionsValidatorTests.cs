namespace Leap.Coordinator.Tests.Unit;

public sealed class CoordinatorOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_FailOnlyForTheMissingSampleCount()
    {
        var result = new CoordinatorOptionsValidator().Validate(null, new CoordinatorOptions());

        Assert.Equal(["Coordinator:SampleCount must be between Coordinator:GlobalBatchSize 256 and 2147483647 (was 0)."], result.Failures);
    }

    [Fact]
    public void Validate_EveryValueWrong_ReportsEveryKeyWithItsRange()
    {
        var options = new CoordinatorOptions
        {
            JobId = "bad id!",
            WorldSize = 3,
            GlobalBatchSize = 10,
            SampleCount = 5,
            HeartbeatDeadline = TimeSpan.Zero,
            HeartbeatInterval = TimeSpan.FromSeconds(1),
            StateDirectory = " ",
            MaxConnections = 0,
            IdleConnectionTimeout = TimeSpan.FromHours(2),
        };

        var result = new CoordinatorOptionsValidator().Validate(null, options);

        Assert.Equal(
        [
            "Coordinator:JobId must be 1 to 64 characters from [A-Za-z0-9._-] (was 'bad id!').",
            "Coordinator:GlobalBatchSize must be a multiple of Coordinator:WorldSize 3 (was 10).",
            "Coordinator:SampleCount must be between Coordinator:GlobalBatchSize 10 and 2147483647 (was 5).",
            "Coordinator:HeartbeatDeadline must be between 00:00:01 and 01:00:00 (was 00:00:00).",
            "Coordinator:HeartbeatInterval must be between 00:00:00.1000000 and half of Coordinator:HeartbeatDeadline, 00:00:00 (was 00:00:01).",
            "Coordinator:StateDirectory must be a directory path (was empty).",
            "Coordinator:MaxConnections must be between 1 and 1048576 (was 0).",
            "Coordinator:IdleConnectionTimeout must be between 00:00:01 and 01:00:00 (was 02:00:00).",
        ], result.Failures);
    }
}
