namespace Leap.Training.Tests.Chaos;

/// <summary>
/// The reference for the chaos tests: the tiny IDX set and one `leap launch` of 2 workers that nobody disturbs. Its
/// final checkpoint is what an interrupted run must reproduce.
/// </summary>
public sealed class UninterruptedRun : IDisposable
{
    public const int Workers = 2;
    public const long Steps = 60;
    public static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);

    public UninterruptedRun()
    {
        IdxFixture.Write(DataDirectory, [200, 200, 200, 200, 200, 200], testPerClass: 20, seed: 9);
        Overrides =
        [
            $"Data:Path={DataDirectory}", "Data:HeadClasses=3", "Data:SamplesPerTailClass=8",
            $"Steps={Steps}", "BatchSize=32", "Leap:CloudStartIteration=5", "Checkpoint:EverySteps=10", "Checkpoint:Keep=10",
            "Evaluation:Pairs=100", "Threads=1",
        ];
        Output = Path.Combine(Root, "uninterrupted");
        var (code, stdout, stderr) = LeapProcess.Run(RunTimeout, [.. LaunchArguments(Output)]);
        Assert.True(code == 0, $"the uninterrupted reference run exited {code}\n{stdout}\n{stderr}");
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "leap-chaos-" + Guid.NewGuid().ToString("N"));

    public string DataDirectory => Path.Combine(Root, "idx");

    /// <summary>Training keys (relative to "Training") of every run, without the output directory.</summary>
    public string[] Overrides { get; }

    public string Output { get; }

    /// <summary>`leap launch` arguments of a run writing to <paramref name="output"/>: centre statistics in-process,
    /// because the centre service's state would not roll back with the checkpoint.</summary>
    public IEnumerable<string> LaunchArguments(string output)
    {
        yield return "launch";
        yield return "--workers";
        yield return Workers.ToString(System.Globalization.CultureInfo.InvariantCulture);
        yield return "--no-centre-service";
        foreach (string o in Overrides.Append($"OutputDirectory={output}"))
        {
            yield return "--set";
            yield return o;
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
