namespace Leap.Coordinator.Tests.Infrastructure;

/// <summary>The job every test runs unless it says otherwise.</summary>
internal static class TestOptions
{
    public const string JobId = "test-job";
    public const int WorldSize = 3;

    /// <summary>The shared token of every test host (Auth:Token); <see cref="CoordinatorTestHost.CreateClient"/> sends it.</summary>
    public const string Token = "test-token-5f0c1e7a9b";
    public const long Seed = 7;
    public static readonly TimeSpan HeartbeatDeadline = TimeSpan.FromSeconds(30);

    public static CoordinatorOptions Create(string stateDirectory, int worldSize = WorldSize) => new()
    {
        JobId = JobId,
        WorldSize = worldSize,
        Seed = Seed,
        SampleCount = 1000,
        GlobalBatchSize = 24,
        HeartbeatInterval = TimeSpan.FromSeconds(5),
        HeartbeatDeadline = HeartbeatDeadline,
        StateDirectory = stateDirectory,
    };

    /// <summary>The same job as configuration keys ("Coordinator:...").</summary>
    public static Dictionary<string, string?> Settings(string stateDirectory, int worldSize = WorldSize) => new()
    {
        ["Coordinator:JobId"] = JobId,
        ["Coordinator:WorldSize"] = worldSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Coordinator:Seed"] = "7",
        ["Coordinator:SampleCount"] = "1000",
        ["Coordinator:GlobalBatchSize"] = "24",
        ["Coordinator:HeartbeatInterval"] = "00:00:05",
        ["Coordinator:HeartbeatDeadline"] = "00:00:30",
        ["Coordinator:StateDirectory"] = stateDirectory,
        ["Auth:Token"] = Token,
    };

    public static WorkerRegistration Worker(int index, int? requestedRank = null, int worldSize = WorldSize) =>
        new(JobId, worldSize, $"10.0.0.{index}:29500", $"worker-{index}", requestedRank);
}
