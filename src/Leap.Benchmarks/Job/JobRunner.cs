using System.Globalization;
using Leap.Launch;

namespace Leap.Benchmarks.Job;

/// <summary>
/// Our two runs of the quick-start job, each a `leap` child process writing to its own folder under the scratch
/// directory: `leap launch --workers N --no-centre-service` and `leap train --no-progress` (one process, default threads).
/// </summary>
public sealed class JobRunner(JobBenchSettings settings, string configPath, string scratch)
{
    public Task<JobRun> LaunchAsync(int workers, int repeat, CancellationToken cancellation) =>
        RunAsync(JobRun.Launch, $"launch-w{I(workers)}-r{I(repeat)}", ["launch", "--workers", I(workers), "--no-centre-service"], cancellation);

    public Task<JobRun> TrainAsync(int workers, int repeat, CancellationToken cancellation) =>
        RunAsync(JobRun.Train, $"train-w{I(workers)}-r{I(repeat)}", ["train", "--no-progress"], cancellation);

    /// <summary>
    /// The overrides that turn the quick-start into the measured job: the model's batch and settings, no periodic
    /// evaluation or checkpoint, a small final evaluation.
    /// </summary>
    public IReadOnlyList<string> Overrides(string outputDirectory) =>
    [
        .. settings.Model.SetArguments(),
        "--set", $"Steps={I(settings.Steps)}", "--set", "Evaluation:EverySteps=0", "--set", "Checkpoint:EverySteps=0",
        "--set", $"Evaluation:Pairs={I(JobBenchSettings.EvaluationPairs)}", "--set", $"Leap:Variant={settings.Variant}",
        "--set", $"Distributed:Classifier={settings.Classifier}",
        "--set", $"OutputDirectory={outputDirectory}",
    ];

    private async Task<JobRun> RunAsync(string implementation, string name, string[] command, CancellationToken cancellation)
    {
        string output = Path.Combine(scratch, name);
        string log = output + ".log";
        double load = CentreLoad.CentreLoadBenchReport.CurrentLoadAverage() ?? 0;
        var info = ChildProcess.LeapStartInfo([.. command, "--config", configPath, .. Overrides(output)]);
        NativeHeapRetention.ConfigureChild(info, settings.RetainNativeHeap);
        var usage = await MeasuredChild.RunAsync(info, log, cancellation).ConfigureAwait(false);
        if (usage.ExitCode != 0)
        {
            throw new InvalidOperationException($"leap {command[0]} ({name}) exited with code {I(usage.ExitCode)}; its last lines ({log}):{Environment.NewLine}{MeasuredChild.Tail(log)}");
        }
        double imagesPerSecond = SteadyStateThroughput.Median(output, settings.WarmupSteps);
        var phases = StepPhaseMedians.Read(output, settings.WarmupSteps);
        string? placement = implementation == JobRun.Launch ? LaunchedPlacement.Read(log) : null;
        Directory.Delete(output, recursive: true);
        File.Delete(log);
        return new JobRun(implementation, imagesPerSecond, usage.CpuSeconds / settings.Steps, usage.WallSeconds, load)
        {
            Phases = phases.Count > 0 ? phases : null,
            ClassifierPlacement = placement,
        };
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
