namespace Leap.Training.Tests;

/// <summary>
/// Two tiny runs trained once through the real `leap train` (a CosFace baseline and LEAP full on the same long-tailed
/// synthetic IDX split, 60 steps, checkpoints and validation every 30), shared by the eval and report tests.
/// </summary>
public sealed class TinyRunsFixture : IDisposable
{
    public const int Steps = 60;
    public const int HeadClasses = 3;
    public const int SamplesPerTailClass = 8;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public TinyRunsFixture()
    {
        string data = Path.Combine(Root, "idx");
        IdxFixture.Write(data, [300, 300, 300, 300, 300, 300], testPerClass: 40, seed: 5);
        Baseline = Train(data, "baseline", "None");
        Leap = Train(data, "leap", "Full");
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "leap-runs-" + Guid.NewGuid().ToString("N"));
    public string Baseline { get; }
    public string Leap { get; }

    /// <summary>Training images of the split: 3 head classes of 300 and 3 tail classes cut to 8.</summary>
    public static int TrainingImages => (HeadClasses * 300) + (3 * SamplesPerTailClass);

    private string Train(string data, string name, string variant)
    {
        string output = Path.Combine(Root, name);
        var (code, stdout, error) = LeapProcess.Run(Timeout, "train", "--no-progress",
            "--set", $"Data:Path={data}", "--set", $"Data:HeadClasses={HeadClasses}", "--set", $"Data:SamplesPerTailClass={SamplesPerTailClass}",
            "--set", $"Steps={Steps}", "--set", "BatchSize=32", "--set", "Leap:CloudStartIteration=10", "--set", "Leap:HeadThreshold=20",
            "--set", $"Leap:Variant={variant}", "--set", "Evaluation:Pairs=400", "--set", "Evaluation:EverySteps=30",
            "--set", "Checkpoint:EverySteps=30", "--set", "Checkpoint:Keep=3", "--set", "Threads=1", "--set", $"OutputDirectory={output}");
        if (code != 0)
        {
            throw new InvalidOperationException($"leap train ({name}) exited {code}\n{stdout}\n{error}");
        }
        return output;
    }

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
