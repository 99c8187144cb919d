using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Leap.Coordinator.Tests.Infrastructure;

/// <summary>A <see cref="JobState"/> on a fake clock and a temporary state directory, for unit tests.</summary>
internal sealed class JobStateTestContext : IDisposable
{
    private readonly TemporaryDirectory? _ownedDirectory;

    public JobStateTestContext(int worldSize = TestOptions.WorldSize, string? stateDirectory = null)
    {
        if (stateDirectory is null)
        {
            _ownedDirectory = new TemporaryDirectory();
            stateDirectory = _ownedDirectory.Path;
        }
        StateDirectory = stateDirectory;
        var options = TestOptions.Create(stateDirectory, worldSize);
        Job = new JobState(Options.Create(options), Time, new CoordinatorStateFile(stateDirectory, options.JobId),
            Logs.CreateLogger<JobState>());
    }

    public FakeTimeProvider Time { get; } = new();
    public ErrorLogRecorder Logs { get; } = new();
    public string StateDirectory { get; }
    public JobState Job { get; }

    /// <summary>Registers workers 0..N-1 and returns their assignments, indexed by worker.</summary>
    public async Task<RankAssignment[]> RegisterAllAsync(int worldSize = TestOptions.WorldSize)
    {
        var tasks = Enumerable.Range(0, worldSize)
            .Select(i => Job.RegisterAsync(TestOptions.Worker(i, worldSize: worldSize), CancellationToken.None)).ToArray();
        return await Task.WhenAll(tasks).Within($"{worldSize} registrations to form a generation");
    }

    public void Dispose()
    {
        Job.Dispose();
        _ownedDirectory?.Dispose();
        Logs.AssertNoErrors();
    }
}
