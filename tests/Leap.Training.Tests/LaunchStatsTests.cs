using System.Text.Json;
using Leap.Launch;
using Leap.Training.Tests.Chaos;

namespace Leap.Training.Tests;

/// <summary>
/// `leap stats` against a live `leap launch`: the launcher names the centre service and the owner-only token file of
/// the launch, and a user can query the statistics the workers are pushing while the job runs. Training:Threads is left
/// unset here, so the workers also show the launcher's default share of the cores.
/// </summary>
public sealed class LaunchStatsTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(6);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-launch-stats-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Stats_DuringATwoWorkerLaunch_ReportsTheJobsClassesAndPushes()
    {
        string data = Path.Combine(_root, "idx");
        IdxFixture.Write(data, [200, 200, 200, 200, 200, 200], testPerClass: 30, seed: 9);
        string output = Path.Combine(_root, "run");
        using var launch = RunningLeap.Start("launch", "--workers", "2",
            "--set", $"Data:Path={data}", "--set", "Data:HeadClasses=3", "--set", "Data:SamplesPerTailClass=8",
            "--set", "Steps=100000", "--set", "BatchSize=32", "--set", "Leap:RefreshInterval=5", "--set", "Checkpoint:EverySteps=100000",
            "--set", "Evaluation:Pairs=300", "--set", $"OutputDirectory={output}");

        string service = (await launch.WaitForLineAsync(@"launch: centre service at (\S+) ", Timeout)).Groups[1].Value;
        string tokenFile = (await launch.WaitForLineAsync(@"LEAP_AUTH_TOKEN_FILE=(\S+)", Timeout)).Groups[1].Value;
        // Both ranks have trained past a few refreshes (5 steps each) once rank 0 logs progress.
        await launch.WaitForLineAsync(@"\[rank 0\].*[Ss]tep\s+\d*[1-9]\d", Timeout);
        // Training:Threads is unset, so the launcher split the cores over the two workers.
        int expectedThreads = WorkerThreads.PerWorker(configured: 0, Environment.ProcessorCount, workers: 2);
        Assert.Equal(expectedThreads, WorkerLogThreads.Read(Path.Combine(output, "worker-rank0.log")));
        Assert.Equal(expectedThreads, WorkerLogThreads.Read(Path.Combine(output, "worker-rank1.log")));

        var (code, stdout, error) = LeapProcess.Run(TimeSpan.FromMinutes(1),
            new Dictionary<string, string> { ["LEAP_AUTH_TOKEN_FILE"] = tokenFile },
            "stats", "--service", service, "--json");

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{error}\n--- launch ---\n{launch.Output}");
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.True(root.GetProperty("initialised").GetBoolean());
        Assert.Equal(6, root.GetProperty("classCount").GetInt32());
        Assert.True(root.GetProperty("pushes").GetInt64() > 0, stdout);
        Assert.True(root.GetProperty("lastStep").GetInt64() >= 4, stdout);

        var (refused, _, refusal) = LeapProcess.Run(TimeSpan.FromMinutes(1),
            new Dictionary<string, string> { ["LEAP_AUTH_TOKEN"] = "not-the-launch-token" },
            "stats", "--service", service, "--json");
        Assert.NotEqual(0, refused);
        Assert.Contains("PermissionDenied", refusal, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
